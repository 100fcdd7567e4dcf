#ifndef SYS_H
#define SYS_H
void put_char(char c);
void put_str(const char *s);
void put_hex(unsigned long v, int digits);
void semihost_exit(void);
#endif
