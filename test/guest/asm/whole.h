#ifndef WHOLE_H
#define WHOLE_H
#define BIG_CONSTANT 0x123456789abcdef0
#define FEATURE_LEVEL 2
#define SQUARE(x) ((x) * (x))
#endif
