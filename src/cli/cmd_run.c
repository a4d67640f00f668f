#include "cli.h"
/* TODO(foundation): stub until the command lands. */
int cmd_run(ol_cli *cli, int argc, char **argv)
{
    (void)argc; (void)argv;
    ol_error err;
    ol_error_set(&err, OL_EUNSUPPORTED, NULL, 0, 0, NULL, "'run' is not implemented yet");
    return cli_fail(cli, &err);
}
