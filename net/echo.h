/* echo.h - the UDP echo service (RFC 862) on port 7. */
#ifndef NET_ECHO_H
#define NET_ECHO_H

#define ECHO_PORT 7
int echo_start(void); /* 0 or -errno from udp_bind */
#endif
