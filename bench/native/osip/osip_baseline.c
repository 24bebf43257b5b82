/* libosip2 baseline for the SIP parse benchmark: parse a message and read the hot fields. */
/* SPDX-License-Identifier: MIT */

#include <stdint.h>
#include <string.h>
#include <osipparser2/osip_parser.h>

/* Initialises libosip2's parser tables once; returns 0. */
int32_t sw_osip_init(void)
{
    return parser_init() == 0 ? 0 : -1;
}

/*
 * Parses buf[0..len) with osip_message_parse, then reads what a transaction layer needs first:
 * top Via branch, Call-ID, CSeq number and From tag (the same reads the Sipwire benchmark does).
 * Returns the summed lengths of the four values (so nothing is optimised away), or -1 on a parse
 * error. Frees everything it allocated.
 */
int32_t sw_osip_parse_read(const uint8_t *buf, int32_t len)
{
    osip_message_t *sip = NULL;
    osip_via_t *via = NULL;
    osip_generic_param_t *branch = NULL;
    osip_generic_param_t *tag = NULL;
    osip_call_id_t *call_id;
    osip_cseq_t *cseq;
    int32_t sum = 0;

    if (buf == NULL || len <= 0 || osip_message_init(&sip) != 0)
        return -1;
    if (osip_message_parse(sip, (const char *)buf, (size_t)len) != 0) {
        osip_message_free(sip);
        return -1;
    }
    if (osip_message_get_via(sip, 0, &via) >= 0 && via != NULL &&
        osip_via_param_get_byname(via, "branch", &branch) == 0 && branch != NULL && branch->gvalue != NULL)
        sum += (int32_t)strlen(branch->gvalue);
    call_id = osip_message_get_call_id(sip);
    if (call_id != NULL && call_id->number != NULL)
        sum += (int32_t)strlen(call_id->number);
    cseq = osip_message_get_cseq(sip);
    if (cseq != NULL && cseq->number != NULL)
        sum += (int32_t)strlen(cseq->number);
    if (sip->from != NULL && osip_from_get_tag(sip->from, &tag) == 0 && tag != NULL && tag->gvalue != NULL)
        sum += (int32_t)strlen(tag->gvalue);
    osip_message_free(sip);
    return sum;
}
