/* Embench-IoT's board hooks (support/board.c includes this file): nothing to set up, and no
 * timing inside the program, since every engine is timed from process start to exit. */
#include "support.h"

void initialise_board(void) {}
void start_trigger(void) {}
void stop_trigger(void) {}
