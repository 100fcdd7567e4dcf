/* Linux user-mode driver for qemu-aarch64: same workloads, same rounds. */
#include <stdio.h>
#include <stdlib.h>
#include "work.h"

int main(int argc, char **argv)
{
	int which = argc > 1 ? atoi(argv[1]) : 0;
	const struct workload *w = &WORKLOADS[which];
	printf("%lu\n", w->fn(w->rounds));
	return 0;
}
