/* A trivial stand-in for the real tool: isolates the cost of what is in front of it. */
int main(void)
{
    return 0;
}
