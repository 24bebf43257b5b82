/* SPDX-License-Identifier: MIT */
/* Echo-canceller state per channel on this target (sw_aec_get_size: the layout depends on the
 * target's pointer size), against the budget: G.711 (stateless) + AEC at 16 kHz with a
 * 64 ms tail under 64 KiB. tools/footprint.sh reads the "aec_state" lines. */
#include "sipwire/aec.h"
#include "sw_test.h"

#include <stdio.h>

#define RAM_BUDGET 65536

static int32_t state_size(int32_t rate, int32_t tail_ms, int32_t max_delay_ms)
{
    sw_aec_config cfg;
    int32_t size = -1;
    sw_aec_config_init(&cfg);
    cfg.sample_rate = rate;
    cfg.tail_ms = tail_ms;
    cfg.max_delay_ms = max_delay_ms;
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    printf("aec_state rate=%d tail_ms=%d max_delay_ms=%d bytes=%d\n", (int)rate, (int)tail_ms, (int)max_delay_ms,
           (int)size);
    return size;
}

int main(void)
{
    sw_aec_config def;
    int32_t budget_case;
    sw_aec_config_init(&def);
    /* The sizing point of the issue: a fixed handset echo path, no bulk-delay search. */
    budget_case = state_size(16000, 64, 0);
    state_size(8000, 64, 0);
    /* With a 40 ms bulk-delay search (still inside the budget) and with the defaults. */
    state_size(16000, 64, 40);
    state_size(def.sample_rate, def.tail_ms, def.max_delay_ms);
    printf("aec_budget G.711 (0 B) + AEC 16 kHz 64 ms tail = %d B of %d B: %s\n", (int)budget_case, RAM_BUDGET,
           budget_case > 0 && budget_case < RAM_BUDGET ? "pass" : "over");
    SW_CHECK(budget_case > 0 && budget_case < RAM_BUDGET);
    /* A larger tail or delay search needs more: the size grows with the configuration. */
    SW_CHECK(state_size(16000, 128, 0) > budget_case);
    return sw_test_finish();
}
