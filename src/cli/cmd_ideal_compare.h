/* `orderlab ideal compare FILE`: the agreement of an ideal-point estimate in
 * the store with a published file (include/orderlab/ideal_compare.h). */
#ifndef OL_CMD_IDEAL_COMPARE_H
#define OL_CMD_IDEAL_COMPARE_H

#include "cli.h"

/* argv[0] is the subcommand's name ("compare"); options and FILE follow.
 * The dispatcher of `orderlab ideal` calls it with its own argv shifted by
 * one.  Returns the exit code (ideal-compare.txt documents them). */
int cmd_ideal_compare(ol_cli *cli, int argc, char **argv);

#endif
