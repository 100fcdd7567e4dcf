/* Our CoreMark port: the performance seeds (0, 0, 0x66) from volatiles, so gcc cannot fold them;
 * a clock that reports exactly 10 s, since every engine is timed from outside and CoreMark counts
 * a shorter run as an error; and the exit status from CoreMark's own verdict. core_main.c prints
 * "Correct operation validated" only when its error count is 0, which covers the list, matrix
 * and state CRCs against the known values for these seeds (0xe714, 0x1fd7, 0x8e3a). */
#include "coremark.h"

void exit(int status);

volatile ee_s32 seed1_volatile = 0x0;
volatile ee_s32 seed2_volatile = 0x0;
volatile ee_s32 seed3_volatile = 0x66;
volatile ee_s32 seed4_volatile = ITERATIONS;
volatile ee_s32 seed5_volatile = 0;

#define EE_TICKS_PER_SEC 1000
static CORE_TICKS elapsed;
void start_time(void) { elapsed = 0; }
void stop_time(void) { elapsed = 10 * EE_TICKS_PER_SEC; }
CORE_TICKS get_time(void) { return elapsed; }
secs_ret time_in_secs(CORE_TICKS ticks) { return (secs_ret)(ticks / EE_TICKS_PER_SEC); }

ee_u32 default_num_contexts = 1;
static int validated, failed;

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix) if (*s++ != *prefix++) return 0;
	return 1;
}

int ee_printf(const char *fmt, ...)
{
	if (starts_with(fmt, "Correct operation validated")) validated = 1;
	if (starts_with(fmt, "Errors detected") || starts_with(fmt, "Cannot validate") || starts_with(fmt, "ERROR")) failed = 1;
	return 0;
}

void portable_init(core_portable *p, int *argc, char *argv[])
{
	(void)argc; (void)argv;
	if (sizeof(ee_ptr_int) != sizeof(ee_u8 *) || sizeof(ee_u32) != 4) failed = 1;
	p->portable_id = 1;
}

void portable_fini(core_portable *p)
{
	p->portable_id = 0;
	exit(validated && !failed ? 0 : 1);
}
