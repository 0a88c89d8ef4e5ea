/*
 * The floor: the least an exec wrapper can do - exec a fixed target named
 * in $FLOOR_TARGET, with no PATH walk and no decisions.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *target = getenv("FLOOR_TARGET");

    (void)argc;
    if (!target)
        return 127;
    execv(target, argv);
    return 127;
}
