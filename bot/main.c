/*
 * main.c - the bimbing command line: one binary, git-style subcommands.
 * Owns the process: curl_global_init, the store, the flow library.
 */
#include <stdio.h>
#include <string.h>

#include "bot/bb.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        printf("usage: bimbing COMMAND [ARGS]\n");
        return argc < 2 ? 2 : 0;
    }
    fprintf(stderr, "bimbing: unknown command '%s'\n", argv[1]);
    return 2;
}
