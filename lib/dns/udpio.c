/*
 * udpio.c — the UDP channel's sockets, through c-ares's socket hooks
 * (ares_set_socket_functions), so that queries and answers cross the
 * kernel in batches.
 *
 * A batch run sends and receives hundreds of thousands of datagrams, each
 * a system call of its own when c-ares does the I/O: on a VM that charges
 * heavily per call, send() and recvfrom() were a quarter of the process's
 * CPU.  Here a query c-ares sends is copied into its socket's outgoing
 * queue and reported sent; the loop flushes the queues (one sendmmsg()
 * per socket) before it sleeps and after each round of sends, so no query
 * waits while we do.  Answers are read up to AA_UDPIO_IN_MAX at a time
 * with recvmmsg() and handed to c-ares one per call, exactly as
 * recvfrom() would (data, sender address, errno).
 *
 * c-ares 1.18 leaves a socket it did not create alone (configure_socket()
 * returns early when socket functions are set), so what it would have done
 * — non-blocking, close-on-exec, the receive buffer the resolver asked for
 * — is done here.  The state is per socket, found by fd, and goes when
 * c-ares closes the fd: buffered answers of a closed socket must never be
 * handed out for a new socket that reuses the number.
 */
#include "dns/udpio.h"
#include "util/util.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* Queries held back per socket before a flush is forced.  Each pacing
 * round sends at most a window's worth, and the queue is flushed after
 * every round, so 64 is one system call per 64 queries at full pace. */
#define AA_UDPIO_OUT_MAX 64
/* A query c-ares builds: a 12-byte header, a name of at most 255 octets,
 * type and class, and an 11-byte EDNS OPT record — under 300 bytes.
 * Anything larger goes out directly. */
#define AA_UDPIO_OUT_SLOT 512
/* Answers read per recvmmsg(); more would only hold more memory while
 * c-ares works through them one by one. */
#define AA_UDPIO_IN_MAX 32
/* c-ares 1.18 reads a UDP answer into MAXENDSSZ + 1 (4097) bytes: a slot
 * as large truncates a datagram exactly where its recvfrom() would. */
#define AA_UDPIO_IN_SLOT 4097

struct outq {
	unsigned n;
	struct mmsghdr mm[AA_UDPIO_OUT_MAX];
	struct iovec iov[AA_UDPIO_OUT_MAX];
	unsigned char data[AA_UDPIO_OUT_MAX][AA_UDPIO_OUT_SLOT];
};

struct inq {
	unsigned next, n; /* mm[next..n) not yet handed to c-ares */
	struct mmsghdr mm[AA_UDPIO_IN_MAX];
	struct iovec iov[AA_UDPIO_IN_MAX];
	struct sockaddr_storage from[AA_UDPIO_IN_MAX];
	unsigned char data[AA_UDPIO_IN_MAX][AA_UDPIO_IN_SLOT];
};

struct sock {
	int fd;
	int dgram;        /* SOCK_DGRAM: the only kind batched */
	struct outq *out; /* allocated on first use; NULL: direct I/O */
	struct inq *in;
};

struct aa_udpio {
	struct sock *socks;
	size_t nsocks, capsocks;
	int rcvbuf;
};

aa_udpio *
aa_udpio_new(int rcvbuf)
{
	aa_udpio *io = calloc(1, sizeof(*io));

	if (io != NULL)
		io->rcvbuf = rcvbuf;
	return io;
}

void
aa_udpio_free(aa_udpio *io)
{
	size_t i;

	if (io == NULL)
		return;
	for (i = 0; i < io->nsocks; i++) {
		free(io->socks[i].out);
		free(io->socks[i].in);
	}
	free(io->socks);
	free(io);
}

static struct sock *
find(const aa_udpio *io, int fd)
{
	size_t i;

	/* one socket per server of the channel: a short list */
	for (i = 0; i < io->nsocks; i++)
		if (io->socks[i].fd == fd)
			return &io->socks[i];
	return NULL;
}

/* ---- sending ---------------------------------------------------------- */

/* One sendmmsg() for s's queue, repeated only to learn why it stopped
 * short.  Linux sends up to the first error and then reports success for
 * what went out, and the error is consumed: an ICMP port unreachable left
 * by an earlier datagram makes the next one fail with ECONNREFUSED, and
 * nobody hears of it.  So after a short count we call again for the rest:
 * ECONNREFUSED is retried once (the datagrams still go out, and the ICMP
 * error of the last one stays pending for c-ares's next recv, which turns
 * a dead server into an immediate failure as before); EAGAIN or ENOBUFS
 * means the socket buffer is full, and the rest is dropped as UDP loss
 * (pacing, retries and hedging recover it). */
static void
flush_sock(struct sock *s)
{
	struct outq *q = s->out;
	unsigned sent = 0;
	int retried = 0, saved = errno;

	if (q == NULL || q->n == 0)
		return;
	while (sent < q->n) {
		int r = sendmmsg(s->fd, q->mm + sent, q->n - sent, MSG_NOSIGNAL);
		if (r > 0) {
			sent += (unsigned)r;
			retried = 0;
		} else if (r < 0 && errno == EINTR) {
			continue;
		} else if (r < 0 && errno == ECONNREFUSED && !retried) {
			retried = 1;
		} else {
			break;
		}
	}
	q->n = 0;
	errno = saved; /* called from inside c-ares too, which reads errno */
}

void
aa_udpio_flush(aa_udpio *io)
{
	size_t i;

	if (io == NULL)
		return;
	for (i = 0; i < io->nsocks; i++)
		flush_sock(&io->socks[i]);
}

static ares_ssize_t
send_direct(ares_socket_t fd, const struct iovec *iov, int iovcnt)
{
	struct msghdr msg;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = (struct iovec *)(uintptr_t)iov; /* sendmsg() only reads it */
	msg.msg_iovlen = (size_t)iovcnt;
	/* as c-ares's own send(): a closed TCP peer must not kill us */
	return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

static struct outq *
outq_new(void)
{
	struct outq *q = malloc(sizeof(*q));
	unsigned i;

	if (q == NULL)
		return NULL;
	memset(q->mm, 0, sizeof(q->mm));
	q->n = 0;
	for (i = 0; i < AA_UDPIO_OUT_MAX; i++) {
		q->iov[i].iov_base = q->data[i];
		q->mm[i].msg_hdr.msg_iov = &q->iov[i];
		q->mm[i].msg_hdr.msg_iovlen = 1;
	}
	return q;
}

static ares_ssize_t
io_sendv(ares_socket_t fd, const struct iovec *iov, int iovcnt, void *data)
{
	struct sock *s = find(data, fd);
	size_t total = 0, off = 0;
	unsigned char *slot;
	int i;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	if (s == NULL || !s->dgram || total > AA_UDPIO_OUT_SLOT)
		return send_direct(fd, iov, iovcnt);
	if (s->out == NULL && (s->out = outq_new()) == NULL)
		return send_direct(fd, iov, iovcnt); /* out of memory: unbatched */
	if (s->out->n == AA_UDPIO_OUT_MAX)
		flush_sock(s);
	slot = s->out->data[s->out->n];
	for (i = 0; i < iovcnt; i++) {
		memcpy(slot + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	s->out->iov[s->out->n].iov_len = total;
	s->out->n++;
	return (ares_ssize_t)total;
}

/* ---- receiving -------------------------------------------------------- */

static struct inq *
inq_new(void)
{
	struct inq *q = malloc(sizeof(*q));

	if (q != NULL)
		q->next = q->n = 0;
	return q;
}

/* Reads what is waiting, up to AA_UDPIO_IN_MAX datagrams: 1, or -1 with
 * errno as recvfrom() would set it (EAGAIN when there is nothing, a
 * pending ECONNREFUSED, ...).  recvmmsg() that meets an error after some
 * datagrams returns those and keeps the error for the next call, so the
 * order c-ares sees is the order recvfrom() would give. */
static int
inq_fill(struct inq *q, int fd)
{
	unsigned i;
	int r;

	for (i = 0; i < AA_UDPIO_IN_MAX; i++) {
		memset(&q->mm[i].msg_hdr, 0, sizeof(q->mm[i].msg_hdr));
		q->iov[i].iov_base = q->data[i];
		q->iov[i].iov_len = AA_UDPIO_IN_SLOT;
		q->mm[i].msg_hdr.msg_iov = &q->iov[i];
		q->mm[i].msg_hdr.msg_iovlen = 1;
		q->mm[i].msg_hdr.msg_name = &q->from[i];
		q->mm[i].msg_hdr.msg_namelen = sizeof(q->from[i]);
	}
	do
		r = recvmmsg(fd, q->mm, AA_UDPIO_IN_MAX, 0, NULL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0) { /* not for a datagram socket; say "nothing now" */
		errno = EAGAIN;
		return -1;
	}
	q->next = 0;
	q->n = (unsigned)r;
	return 1;
}

static ares_ssize_t
io_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags, struct sockaddr *from,
            ares_socklen_t *fromlen, void *data)
{
	struct sock *s = find(data, fd);
	const struct mmsghdr *m;
	size_t n;

	if (s == NULL || !s->dgram || flags != 0)
		return recvfrom(fd, buf, len, flags, from, fromlen);
	if (s->in == NULL && (s->in = inq_new()) == NULL)
		return recvfrom(fd, buf, len, flags, from, fromlen); /* out of memory */
	if (s->in->next == s->in->n && inq_fill(s->in, fd) < 0)
		return -1;
	m = &s->in->mm[s->in->next++];
	/* what recvfrom() into len bytes would give: the datagram cut at
	 * len, the address cut at *fromlen, and its full length there */
	n = m->msg_len < len ? m->msg_len : len;
	memcpy(buf, s->in->data[m - s->in->mm], n);
	if (from != NULL && fromlen != NULL) {
		ares_socklen_t al = m->msg_hdr.msg_namelen;
		memcpy(from, m->msg_hdr.msg_name, al < *fromlen ? al : *fromlen);
		*fromlen = al;
	}
	return (ares_ssize_t)n;
}

int
aa_udpio_buffered(const aa_udpio *io, int fd)
{
	const struct sock *s;

	if (io == NULL || (s = find(io, fd)) == NULL || s->in == NULL)
		return 0;
	return s->in->next < s->in->n;
}

int
aa_udpio_any_buffered(const aa_udpio *io)
{
	size_t i;

	if (io == NULL)
		return 0;
	for (i = 0; i < io->nsocks; i++)
		if (io->socks[i].in != NULL && io->socks[i].in->next < io->socks[i].in->n)
			return 1;
	return 0;
}

/* ---- opening and closing ---------------------------------------------- */

/* What c-ares 1.18's configure_socket() (and open_tcp_socket()) would do,
 * since they skip sockets made by socket functions; non-blocking and
 * close-on-exec come with socket() itself. */
static ares_socket_t
io_socket(int af, int type, int protocol, void *data)
{
	aa_udpio *io = data;
	int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	int one = 1;

	if (fd < 0)
		return ARES_SOCKET_BAD;
	if (io->rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &io->rcvbuf, sizeof(io->rcvbuf)) < 0) {
		close(fd);
		return ARES_SOCKET_BAD;
	}
	if (type == SOCK_STREAM && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		close(fd);
		return ARES_SOCKET_BAD;
	}
	/* out of memory: the socket works, unbatched (find() misses it) */
	if (aa_grow(&io->socks, &io->capsocks, io->nsocks + 1, sizeof(*io->socks)) == AA_OK) {
		struct sock *s = &io->socks[io->nsocks++];
		memset(s, 0, sizeof(*s));
		s->fd = fd;
		s->dgram = type == SOCK_DGRAM;
	}
	return fd;
}

static int
io_connect(ares_socket_t fd, const struct sockaddr *addr, ares_socklen_t len, void *data)
{
	(void)data;
	return connect(fd, addr, len);
}

/* Datagrams still queued or read for fd go with it: c-ares closes a UDP
 * socket on an error or when it is destroyed, and re-sends or ends the
 * queries that were on it itself. */
static int
io_close(ares_socket_t fd, void *data)
{
	aa_udpio *io = data;
	struct sock *s = find(io, fd);

	if (s != NULL) {
		free(s->out);
		free(s->in);
		*s = io->socks[--io->nsocks];
	}
	return close(fd);
}

static const struct ares_socket_functions udpio_funcs = {
    io_socket, io_close, io_connect, io_recvfrom, io_sendv,
};

void
aa_udpio_install(aa_udpio *io, ares_channel ch)
{
	ares_set_socket_functions(ch, &udpio_funcs, io);
}
