// LD_PRELOAD shim: counts malloc/calloc/realloc/aligned calls; SIGUSR2 writes the count to
// $MALLOC_COUNT_FILE. For measuring allocations per tag (bench only).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
static atomic_ulong n;
extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void* __libc_memalign(size_t, size_t);
void* malloc(size_t s) { atomic_fetch_add_explicit(&n, 1, memory_order_relaxed); return __libc_malloc(s); }
void* calloc(size_t a, size_t b) { atomic_fetch_add_explicit(&n, 1, memory_order_relaxed); return __libc_calloc(a, b); }
void* realloc(void* p, size_t s) { atomic_fetch_add_explicit(&n, 1, memory_order_relaxed); return __libc_realloc(p, s); }
int posix_memalign(void** p, size_t a, size_t s) { atomic_fetch_add_explicit(&n, 1, memory_order_relaxed); *p = __libc_memalign(a, s); return *p ? 0 : 12; }
void* aligned_alloc(size_t a, size_t s) { atomic_fetch_add_explicit(&n, 1, memory_order_relaxed); return __libc_memalign(a, s); }
static void dump(int sig) {
  (void)sig;
  const char* f = getenv("MALLOC_COUNT_FILE");
  if (!f) return;
  int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  char buf[32];
  int len = 0;
  unsigned long v = atomic_load(&n);
  char tmp[32]; int k = 0;
  do { tmp[k++] = '0' + v % 10; v /= 10; } while (v);
  while (k) buf[len++] = tmp[--k];
  buf[len++] = '\n';
  write(fd, buf, len);
  close(fd);
}
__attribute__((constructor)) static void init(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = dump; sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR2, &sa, 0);
}
