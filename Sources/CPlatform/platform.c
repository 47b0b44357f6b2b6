// See onecheck_platform.h.
#define _GNU_SOURCE
#include "onecheck_platform.h"
#include <errno.h>
#include <fcntl.h>

int onecheck_reserve_space(int fd, long long offset, long long length) {
#if defined(__linux__)
    return fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length) == 0 ? 0 : errno;
#else
    (void)fd; (void)offset; (void)length;
    return EOPNOTSUPP;
#endif
}
