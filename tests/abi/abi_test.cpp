// SPDX-License-Identifier: MIT
// C++ ABI test: sipwire.h compiles as C++ (extern "C", no C-only constructs) and works with RAII.
#include <sipwire.h>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

int s_passed = 0;
int s_failed = 0;

void check(bool ok, int line, const char *what)
{
    if (ok) {
        ++s_passed;
    } else {
        ++s_failed;
        std::printf("FAIL abi_test.cpp:%d: %s\n", line, what);
    }
}

#define CHECK(cond) check((cond), __LINE__, #cond)

struct EndpointDeleter {
    void operator()(sw_endpoint *ep) const { sw_endpoint_destroy(ep); }
};
using EndpointPtr = std::unique_ptr<sw_endpoint, EndpointDeleter>;

} // namespace

int main()
{
    CHECK(sw_version() == static_cast<uint32_t>(SW_VERSION_NUMBER));
    CHECK(std::strcmp(sw_status_str(SW_E_BUFFER_TOO_SMALL), "buffer too small") == 0);

    sw_endpoint_config cfg;
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    cfg.user_agent = "Sipwire C++ test";
    sw_endpoint *raw = nullptr;
    CHECK(sw_endpoint_create(&cfg, &raw) == SW_OK);
    {
        EndpointPtr ep(raw);
        sw_endpoint_config got;
        CHECK(sw_endpoint_get_config(ep.get(), &got) == SW_OK);
        CHECK(got.max_transactions == cfg.max_transactions);
    }
    sw_endpoint_config got;
    CHECK(sw_endpoint_get_config(raw, &got) == SW_E_INVALID_ARG);

    char buf[8];
    int32_t needed = 0;
    CHECK(sw_last_error_detail(buf, static_cast<int32_t>(sizeof buf), &needed) == SW_E_BUFFER_TOO_SMALL);
    CHECK(needed > static_cast<int32_t>(sizeof buf));

    // Callback tables and posted work from C++: captureless lambdas convert to the C typedefs.
    struct Counts {
        int posted = 0;
        int logs = 0;
    } counts;
    sw_callbacks cb;
    CHECK(sw_callbacks_init(&cb) == SW_OK);
    cb.on_log = [](int32_t, const char *, void *ud) { ++static_cast<Counts *>(ud)->logs; };
    cb.user_data = &counts;
    CHECK(sw_endpoint_config_init(&cfg) == SW_OK);
    cfg.callbacks = &cb;
    cfg.bind_address = "127.0.0.1";
    cfg.log_level = SW_LOG_DEBUG;
    sw_endpoint *polled = nullptr;
    CHECK(sw_endpoint_create(&cfg, &polled) == SW_OK);
    EndpointPtr owner(polled);
    sw_post_cb fn = [](void *ud) { ++static_cast<Counts *>(ud)->posted; };
    CHECK(sw_endpoint_post(owner.get(), fn, &counts) == SW_OK);
    CHECK(counts.posted == 0);
    CHECK(sw_endpoint_poll(owner.get(), 0) == SW_OK);
    CHECK(counts.posted == 1);

    std::printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}
