/*
 * init: the first user task. The kernel starts it with its argument string
 * (the demo to run) and one handle: 0, the right to bind interrupts, which
 * init hands on to the programs that need it. init creates the endpoints the
 * programs will share, spawns them from the boot archive with the handles
 * they need, and waits for them.
 */
#include "ulib.h"

enum { LABEL_QUIT = 3 };

/* Asks the server on ep to finish (pong understands LABEL_QUIT). */
static void stop_server(long ep)
{
    struct umsg reply;

    sys_call(ep, MSGINFO(LABEL_QUIT, 0), NULL, &reply);
}

static long spawn_or_die(const char *name, const long *handles, size_t count)
{
    long task = sys_spawn(name, handles, count);
    if (task < 0) {
        printf("init: cannot spawn %s: error %ld\n", name, task);
        sys_exit(1);
    }
    return task;
}

/* ping and pong, two tasks in two address spaces, over one endpoint. */
static int run_user_demo(void)
{
    long ep = sys_endpoint_create(0);
    UASSERT(ep >= 0);
    long handles[1] = {ep};
    long pong = spawn_or_die("pong", handles, 1);
    long ping = spawn_or_die("ping", handles, 1);
    long ping_status = sys_task_wait(ping);
    stop_server(ep);
    long pong_status = sys_task_wait(pong);
    sys_handle_close(ep);
    printf("init: ping exited with %ld, pong with %ld\n", ping_status, pong_status);
    return ping_status == 0 ? 0 : 1;
}

/* snoop tries to read another task's memory and the kernel's; it is killed,
 * and ping/pong carry on unharmed. */
static int run_isolation_demo(void)
{
    long ep = sys_endpoint_create(0);
    UASSERT(ep >= 0);
    long handles[1] = {ep};
    long pong = spawn_or_die("pong", handles, 1);
    long snoop_other = spawn_or_die("snoop other", NULL, 0);
    long snoop_kernel = spawn_or_die("snoop kernel", NULL, 0);
    long ping = spawn_or_die("ping", handles, 1);
    long s1 = sys_task_wait(snoop_other);
    long s2 = sys_task_wait(snoop_kernel);
    long ping_status = sys_task_wait(ping);
    stop_server(ep);
    sys_task_wait(pong);
    sys_handle_close(ep);
    printf("init: snoop (other task) ended with %s, snoop (kernel) with %s, ping with %ld\n",
           s1 == E_DEAD ? "E_DEAD (killed)" : "a normal exit",
           s2 == E_DEAD ? "E_DEAD (killed)" : "a normal exit", ping_status);
    return s1 == E_DEAD && s2 == E_DEAD && ping_status == 0 ? 0 : 1;
}

/* One task per kind of fault; each must be killed, alone. */
static int run_faults_demo(void)
{
    static const char *const kinds[] = {
        "fault null",     "fault exec", "fault undef", "fault priv",
        "fault pc-align", "fault brk",  "fault stack", "fault kernel",
    };
    int survivors = 0;

    for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        long task = spawn_or_die(kinds[i], NULL, 0);
        long status = sys_task_wait(task);
        printf("init: '%s' ended with %s\n", kinds[i],
               status == E_DEAD ? "E_DEAD (killed)" : "a normal exit");
        survivors += status != E_DEAD;
    }
    printf("init: %d of %u faulting tasks survived; init is still running\n", survivors,
           (unsigned)(sizeof(kinds) / sizeof(kinds[0])));
    return survivors == 0 ? 0 : 1;
}

/* Runs a test program with its argument string ("usertest", "racetest map_spawn"). */
static int run_program(const char *command, size_t len)
{
    char buffer[96];
    size_t name_len = 0;

    len = len < sizeof(buffer) - 1 ? len : sizeof(buffer) - 1;
    memcpy(buffer, command, len);
    buffer[len] = '\0';
    while (name_len < len && buffer[name_len] != ' ') {
        name_len++;
    }
    long irq_control[1] = {0}; /* the kernel gave init this right at handle 0 */
    long task = spawn_or_die(buffer, irq_control, 1);
    long status = sys_task_wait(task);
    printf("init: %.*s exited with %ld\n", (int)name_len, buffer, status);
    return status == 0 ? 0 : 1;
}

int main(const char *arg, size_t arg_len)
{
    struct task_info info;

    sys_task_info(&info);
    printf("init: running at EL%llu in address space %llu (task %llu), mode '%.*s'\n",
           (unsigned long long)info.exception_level, (unsigned long long)info.asid,
           (unsigned long long)info.task_id, (int)arg_len, arg);
    if (arg_len == 4 && memcmp(arg, "user", 4) == 0) {
        return run_user_demo();
    }
    if (arg_len == 9 && memcmp(arg, "isolation", 9) == 0) {
        return run_isolation_demo();
    }
    if (arg_len == 6 && memcmp(arg, "faults", 6) == 0) {
        return run_faults_demo();
    }
    /* The test programs, with the rest of the argument: "usertest NAME" runs one case. */
    static const char *const programs[] = {"usertest", "racetest", "faultinj", "fuzz", "pager"};
    for (unsigned i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        size_t n = strlen(programs[i]);
        if (arg_len >= n && memcmp(arg, programs[i], n) == 0 && (arg_len == n || arg[n] == ' ')) {
            return run_program(arg, arg_len);
        }
    }
    printf("init: unknown mode\n");
    return 2;
}
