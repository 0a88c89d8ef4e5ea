/*
 * fx_port.h - read the port a fixture server in tests/fixture/
 * (faultserver.py, policyserver.py) prints as its first stdout line. Shared
 * by http_fx.h and policy_org_fx.h, which spawn different servers but learn
 * the port the same way.
 */
#ifndef FX_PORT_H
#define FX_PORT_H

#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "pg_util.h"

/* Reads up to the first newline from fd (10 s per read at most), closes fd.
 * Returns the port, or -1 when the line is missing or not a port. */
static inline int fx_read_port(int fd)
{
    char line[32] = "";
    struct pollfd pfd;
    uint64_t v = 0;
    ssize_t got = 0;

    pfd.fd = fd;
    pfd.events = POLLIN;
    while (got < (ssize_t)sizeof(line) - 1 && !memchr(line, '\n', (size_t)got) &&
           poll(&pfd, 1, 10000) > 0) {
        ssize_t r = read(fd, line + got, sizeof(line) - 1 - (size_t)got);

        if (r <= 0)
            break;
        got += r;
        line[got] = '\0';
    }
    close(fd);
    line[strcspn(line, "\n")] = '\0';
    if (pg_parse_u64(line, 65535, &v) < 0 || v == 0)
        return -1;
    return (int)v;
}

#endif
