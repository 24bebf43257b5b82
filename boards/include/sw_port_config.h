/* SPDX-License-Identifier: MIT */
/* Checks the port's configuration (sw_port_port.h) and stops the build with the fix spelled out. */
#ifndef SW_PORT_CONFIG_H
#define SW_PORT_CONFIG_H

/*
 * Every port has a header named sw_port_port.h in its own directory (boards/port/<port>/), on the
 * include path of whatever includes sw_port.h. It defines the object types (sw_port_task_t,
 * sw_port_mutex_t, sw_port_sem_t, sw_port_queue_t, sw_port_udp_t) and the values checked below.
 * boards/port/template/sw_port_port.h is the annotated starting point for a new port.
 */
#include "sw_port_port.h"

#ifndef SW_PORT_NAME
#error "SW_PORT_NAME is not defined: add #define SW_PORT_NAME \"<your port>\" to your port's sw_port_port.h (see boards/port/template/sw_port_port.h), and put that directory on the include path"
#endif

#ifndef SW_PORT_PRIO_MAX
#error "SW_PORT_PRIO_MAX is not defined: add #define SW_PORT_PRIO_MAX <n> (highest task priority the port maps, at least 4; e.g. 31 for the microkernel) to your port's sw_port_port.h"
#elif SW_PORT_PRIO_MAX < 4
#error "SW_PORT_PRIO_MAX must be at least 4: Sipwire's tasks use priorities 1 (background) to 4 (media); set it in your port's sw_port_port.h"
#endif

#ifndef SW_PORT_STACK_MIN
#error "SW_PORT_STACK_MIN is not defined: add #define SW_PORT_STACK_MIN <bytes> (smallest stack sw_port_task_create accepts) to your port's sw_port_port.h"
#endif

#ifndef SW_PORT_HAS_SOCKETS
#error "SW_PORT_HAS_SOCKETS is not defined: add #define SW_PORT_HAS_SOCKETS 1 if the port implements the sw_port_udp_* functions, or 0 if the board has no IP stack, to your port's sw_port_port.h"
#elif SW_PORT_HAS_SOCKETS != 0 && SW_PORT_HAS_SOCKETS != 1
#error "SW_PORT_HAS_SOCKETS must be 0 or 1 in your port's sw_port_port.h"
#endif

#ifndef SW_PORT_AUDIO_MAX_FRAME
#error "SW_PORT_AUDIO_MAX_FRAME is not defined: add #define SW_PORT_AUDIO_MAX_FRAME <samples> (largest frame sw_port_audio_read/write take, at least 320 = 20 ms at 16 kHz) to your port's sw_port_port.h"
#elif SW_PORT_AUDIO_MAX_FRAME < 320
#error "SW_PORT_AUDIO_MAX_FRAME must be at least 320 (20 ms at 16 kHz); raise it in your port's sw_port_port.h"
#endif

#endif
