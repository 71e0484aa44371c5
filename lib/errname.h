/* errname.h - the symbolic name of an errno value, as the shell prints it. */
#ifndef LIB_ERRNAME_H
#define LIB_ERRNAME_H
const char *errno_name(int err); /* "EIO" for EIO or -EIO; "E?" if unknown */
#endif
