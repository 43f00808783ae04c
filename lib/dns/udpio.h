/*
 * udpio.h — batched UDP sockets for the c-ares UDP channel (udpio.c):
 * queries leave in one sendmmsg() per socket, answers arrive in one
 * recvmmsg() per up to AA_UDPIO_IN_MAX datagrams, instead of one system
 * call each.  Private to lib/dns/.
 */
#ifndef AA_DNS_UDPIO_H
#define AA_DNS_UDPIO_H

#include <ares.h>

typedef struct aa_udpio aa_udpio;

/* A socket table for one channel; rcvbuf is the SO_RCVBUF to ask for
 * (c-ares does not apply its own options to sockets it did not create).
 * NULL when out of memory: the channel then keeps c-ares's own I/O. */
aa_udpio *aa_udpio_new(int rcvbuf);
/* After the channel is destroyed (it closes its sockets through us). */
void aa_udpio_free(aa_udpio *io);
/* Makes ch create, read and write its sockets through io; before ch has
 * opened any (c-ares opens them at the first query). */
void aa_udpio_install(aa_udpio *io, ares_channel ch);
/* Sends every datagram held back; what the kernel will not take now is
 * dropped, as a full socket buffer would drop it.  NULL is a no-op. */
void aa_udpio_flush(aa_udpio *io);
/* Datagrams read from fd but not yet handed to c-ares: poll() does not
 * know of them, so the loop must not sleep on fd while there are any. */
int aa_udpio_buffered(const aa_udpio *io, int fd);
/* Whether any socket has such datagrams (the loop then polls without
 * sleeping). */
int aa_udpio_any_buffered(const aa_udpio *io);

#endif
