#ifndef WORK_H
#define WORK_H
struct workload { const char *name; unsigned long (*fn)(int rounds); int rounds; };
extern const struct workload WORKLOADS[];
#endif
