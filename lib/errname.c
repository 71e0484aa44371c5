/* errname.c - errno values to their symbolic names. */
#include "lib/errname.h"
#include <errno.h>
#include <stdlib.h>

#define E(x)          \
	{             \
		x, #x \
	}
static const struct {
	int err;
	const char *name;
} names[] = {
	E(EPERM),   E(ENOENT),   E(EIO),      E(ENXIO),        E(E2BIG),    E(EBADF),      E(EAGAIN),
	E(ENOMEM),  E(EACCES),   E(EFAULT),   E(EBUSY),        E(EEXIST),   E(ENODEV),     E(EINVAL),
	E(ENOSPC),  E(ESPIPE),   E(EROFS),    E(ERANGE),       E(ENOSYS),   E(EOPNOTSUPP), E(ETIMEDOUT),
	E(EPROTO),  E(EMSGSIZE), E(ENOBUFS),  E(EHOSTUNREACH), E(ENETDOWN), E(ECANCELED),  E(EOVERFLOW),
	E(EBADMSG), E(ENOTSUP),  E(EALREADY),
};

const char *errno_name(int err)
{
	err = abs(err);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].name;
	return "E?";
}
