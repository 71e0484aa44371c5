/* services.h - network configuration (DHCP or static) and the services: UDP echo, TFTP. */
#ifndef APPS_SERVICES_H
#define APPS_SERVICES_H
void services_start(void);
#endif
