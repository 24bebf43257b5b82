/* SPDX-License-Identifier: MIT */
/* A port configuration that forgets SW_PORT_PRIO_MAX: sw_port_config.h must stop the build. */
#ifndef SW_PORT_PORT_H
#define SW_PORT_PORT_H

#define SW_PORT_NAME "missing-config"
#define SW_PORT_STACK_MIN 512
#define SW_PORT_HAS_SOCKETS 0
#define SW_PORT_AUDIO_MAX_FRAME 320

#endif
