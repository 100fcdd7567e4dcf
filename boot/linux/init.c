/*
 * /init of rpi-os's own initramfs: the first (and only) user process the real
 * Linux kernel starts on the emulated Pi 3 (`rpi-os linux`).
 *
 * It mounts /proc, prints /proc/interrupts, /proc/cpuinfo and /proc/softirqs
 * between marker lines the host looks for, and powers the machine off.
 * No libc and no floating point: raw system calls (the arm64 Linux syscall ABI:
 * number in x8, arguments in x0-x5, `svc #0`, result in x0), built with
 * -nostdlib -mgeneral-regs-only by build.sh, so it runs on a CPU that has no
 * FP/SIMD.
 *
 * Debian builds the Pi's power-off handler as a module (bcm2835_wdt: PM_RSTS partition 63, then a
 * watchdog reset through PM_RSTC); when the host put it in the initramfs as /bcm2835_wdt.ko, /init
 * loads it before reboot(POWER_OFF), which the kernel otherwise turns into a halt (no pm_power_off).
 *
 * With "rpi-os.reboot" on the kernel command line it restarts instead (reboot(RESTART): the same
 * driver's restart handler, a watchdog reset with the partition left as it is).
 *
 * With "rpi-os.wait" on the kernel command line (seen in /proc/cmdline) it
 * first reads one line from the console, so a test can type and then see the
 * UART's interrupt count in /proc/interrupts.
 */

#define AT_FDCWD -100
#define O_RDONLY 0

/* asm-generic/unistd.h numbers (arm64 uses the generic table). */
#define SYS_mkdirat 34
#define SYS_mount 40
#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_exit 93
#define SYS_sync 81
#define SYS_reboot 142
#define SYS_finit_module 273

/* include/uapi/linux/reboot.h */
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_RESTART 0x01234567

static long syscall6(long n, long a, long b, long c, long d, long e) {
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory", "cc");
	return x0;
}

static unsigned long length(const char *s) {
	unsigned long n = 0;
	while (s[n]) n++;
	return n;
}

static void put(const char *s) {
	syscall6(SYS_write, 1, (long)s, (long)length(s), 0, 0);
}

static char buf[4096];

/* Copies a file to stdout; returns the number of bytes, or a negative errno. */
static long cat(const char *path) {
	long fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0);
	if (fd < 0) return fd;
	long total = 0;
	for (;;) {
		long n = syscall6(SYS_read, fd, (long)buf, sizeof buf, 0, 0);
		if (n <= 0) break;
		syscall6(SYS_write, 1, (long)buf, n, 0, 0);
		total += n;
	}
	syscall6(SYS_close, fd, 0, 0, 0, 0);
	return total;
}

static void section(const char *path) {
	put("rpi-os-init: begin ");
	put(path);
	put("\n");
	if (cat(path) < 0) put("rpi-os-init: cannot read it\n");
	put("rpi-os-init: end ");
	put(path);
	put("\n");
}

/* Does /proc/cmdline contain `word`? */
static int cmdline_has(const char *word) {
	long fd = syscall6(SYS_openat, AT_FDCWD, (long)"/proc/cmdline", O_RDONLY, 0, 0);
	if (fd < 0) return 0;
	long n = syscall6(SYS_read, fd, (long)buf, sizeof buf - 1, 0, 0);
	syscall6(SYS_close, fd, 0, 0, 0, 0);
	if (n <= 0) return 0;
	unsigned long w = length(word);
	for (long i = 0; i + (long)w <= n; i++) {
		unsigned long j = 0;
		while (j < w && buf[i + j] == word[j]) j++;
		if (j == w) return 1;
	}
	return 0;
}

void _start(void) {
	put("rpi-os-init: hello from /init\n");
	syscall6(SYS_mkdirat, AT_FDCWD, (long)"/proc", 0555, 0, 0);
	long r = syscall6(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	if (r < 0) put("rpi-os-init: mount /proc failed\n");
	if (cmdline_has("rpi-os.wait")) {
		put("rpi-os-init: type a line\n");
		char c = 0;
		while (syscall6(SYS_read, 0, (long)&c, 1, 0, 0) == 1 && c != '\n' && c != '\r') {}
	}
	section("/proc/interrupts");
	section("/proc/cpuinfo");
	section("/proc/softirqs");
	long ko = syscall6(SYS_openat, AT_FDCWD, (long)"/bcm2835_wdt.ko", O_RDONLY, 0, 0);
	if (ko >= 0) {
		long e = syscall6(SYS_finit_module, ko, (long)"", 0, 0, 0);
		syscall6(SYS_close, ko, 0, 0, 0, 0);
		put(e == 0 ? "rpi-os-init: loaded bcm2835_wdt (the power-off driver)\n" : "rpi-os-init: bcm2835_wdt did not load\n");
	}
	int restart = cmdline_has("rpi-os.reboot");
	put(restart ? "rpi-os-init: restarting\n" : "rpi-os-init: powering off\n");
	syscall6(SYS_sync, 0, 0, 0, 0, 0);
	syscall6(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, restart ? LINUX_REBOOT_CMD_RESTART : LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	syscall6(SYS_exit, 0, 0, 0, 0, 0);
	for (;;) {}
}
