// Operating-system calls that Swift's Glibc module does not import (they need _GNU_SOURCE).
#ifndef ONECHECK_PLATFORM_H
#define ONECHECK_PLATFORM_H

#ifdef __cplusplus
extern "C" {
#endif

/// Reserves disk blocks for bytes [offset, offset + length) of the open file `fd` without changing its size
/// (Linux `fallocate` with `FALLOC_FL_KEEP_SIZE`). The file's content is unchanged; the reserved space reads as
/// nothing until written, and blocks reserved beyond the end stay allocated until the file is truncated.
/// Returns 0, or an errno value: `EOPNOTSUPP` where the file system or the system has no such call.
int onecheck_reserve_space(int fd, long long offset, long long length);

/// Atomically exchanges the directory entries `a` and `b` (Linux `renameat2` with `RENAME_EXCHANGE`): both must
/// exist; afterwards `a` names what `b` named and the other way round, with no moment where either is missing.
/// Returns 0, or an errno value: `EINVAL` or `ENOSYS` where the file system or the kernel has no such call.
int onecheck_exchange_paths(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
