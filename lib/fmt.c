/* fmt.c - printf formatting for the kernel's own lines and names (lib/fmt.h says what and why). */
#include "lib/fmt.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The output so far: bytes past size-1 are counted, not stored. */
struct out {
	char *buf;
	size_t size, n;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->size)
		o->buf[o->n] = c;
	o->n++;
}

static void repeat(struct out *o, char c, int k)
{
	while (k-- > 0)
		put(o, c);
}

static void puts_n(struct out *o, const char *s, size_t len)
{
	while (len--)
		put(o, *s++);
}

struct spec {
	bool left, zero, plus, space, alt, upper, ptr;
	int width, prec; /* prec -1: none given */
};

/* An integer: sign or prefix, zeros to the precision, then the digits;
 * padded to the width with spaces, or with zeros after the sign ('0'). */
static void number(struct out *o, const struct spec *sp, uintmax_t v, bool neg, unsigned base, char sign)
{
	const char *digits = sp->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 2^64 in octal: 22 digits */
	int nd = 0;
	for (uintmax_t x = v; x; x /= base)
		tmp[nd++] = digits[x % base];
	int prec = sp->prec;
	if (prec < 0)
		prec = 1; /* one digit at least, unless a precision of 0 asks for none for 0 */
	const char *prefix = "";
	if ((sp->alt && base == 16 && v) || sp->ptr)
		prefix = sp->upper ? "0X" : "0x";
	if (sp->alt && base == 8 && prec <= nd)
		prec = nd + 1; /* '#' with %o: a leading 0 */
	if (neg)
		sign = '-';
	int body = (nd > prec ? nd : prec) + (sign != 0) + (int)strlen(prefix);
	bool zeros = sp->zero && !sp->left && sp->prec < 0;
	if (!sp->left && !zeros)
		repeat(o, ' ', sp->width - body);
	if (sign)
		put(o, sign);
	puts_n(o, prefix, strlen(prefix));
	if (zeros)
		repeat(o, '0', sp->width - body);
	repeat(o, '0', prec - nd);
	while (nd)
		put(o, tmp[--nd]);
	if (sp->left)
		repeat(o, ' ', sp->width - body);
}

static void string(struct out *o, const struct spec *sp, const char *s, size_t len)
{
	if (!sp->left)
		repeat(o, ' ', sp->width - (int)len);
	puts_n(o, s, len);
	if (sp->left)
		repeat(o, ' ', sp->width - (int)len);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		const char *start = p++;
		struct spec sp = { .prec = -1 };
		for (;; p++) {
			if (*p == '-')
				sp.left = true;
			else if (*p == '0')
				sp.zero = true;
			else if (*p == '+')
				sp.plus = true;
			else if (*p == ' ')
				sp.space = true;
			else if (*p == '#')
				sp.alt = true;
			else
				break;
		}
		if (*p == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0)
				sp.left = true, sp.width = -sp.width;
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sp.width = sp.width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			sp.prec = 0;
			if (*p == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1; /* a negative precision is taken as none */
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					sp.prec = sp.prec * 10 + (*p++ - '0');
			}
		}
		char mod = 0; /* H: hh, h, l, q: ll, z, j, t */
		if (*p == 'h')
			mod = *++p == 'h' ? (p++, 'H') : 'h';
		else if (*p == 'l')
			mod = *++p == 'l' ? (p++, 'q') : 'l';
		else if (*p == 'z' || *p == 'j' || *p == 't')
			mod = *p++;

		char c = *p;
		if (c == 'd' || c == 'i') {
			intmax_t v;
			switch (mod) {
			case 'H':
				v = (signed char)va_arg(ap, int);
				break;
			case 'h':
				v = (short)va_arg(ap, int);
				break;
			case 'l':
				v = va_arg(ap, long);
				break;
			case 'q':
				v = va_arg(ap, long long);
				break;
			case 'z':
				v = va_arg(ap, long);
				break; /* the signed size_t */
			case 'j':
				v = va_arg(ap, intmax_t);
				break;
			case 't':
				v = va_arg(ap, ptrdiff_t);
				break;
			default:
				v = va_arg(ap, int);
				break;
			}
			uintmax_t u = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
			number(&o, &sp, u, v < 0, 10, sp.plus ? '+' : sp.space ? ' ' : 0);
		} else if (c == 'u' || c == 'x' || c == 'X' || c == 'o') {
			uintmax_t v;
			switch (mod) {
			case 'H':
				v = (unsigned char)va_arg(ap, unsigned);
				break;
			case 'h':
				v = (unsigned short)va_arg(ap, unsigned);
				break;
			case 'l':
				v = va_arg(ap, unsigned long);
				break;
			case 'q':
				v = va_arg(ap, unsigned long long);
				break;
			case 'z':
				v = va_arg(ap, size_t);
				break;
			case 'j':
				v = va_arg(ap, uintmax_t);
				break;
			case 't':
				v = (uintmax_t)va_arg(ap, ptrdiff_t);
				break;
			default:
				v = va_arg(ap, unsigned);
				break;
			}
			sp.upper = c == 'X';
			number(&o, &sp, v, false, c == 'o' ? 8 : c == 'u' ? 10 : 16, 0);
		} else if (c == 'p') {
			sp.ptr = true; /* 0x and the address in hex, as newlib prints it (NULL too) */
			number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, 0);
		} else if (c == 's') {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			string(&o, &sp, s, sp.prec >= 0 ? strnlen(s, (size_t)sp.prec) : strlen(s));
		} else if (c == 'c') {
			char ch = (char)va_arg(ap, int);
			string(&o, &sp, &ch, 1);
		} else if (c == '%') {
			put(&o, '%');
		} else { /* not ours: as it stands, and nothing consumed */
			if (!c)
				p--; /* the format ended inside the conversion */
			puts_n(&o, start, (size_t)(p - start + 1));
		}
	}
	if (size)
		buf[o.n < size ? o.n : size - 1] = 0;
	return (int)o.n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
