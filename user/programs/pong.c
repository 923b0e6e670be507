/*
 * pong: the server. It answers each ping with a pong, using reply_recv:
 * reply to the last caller and wait for the next in one system call.
 * Handle 0 is the endpoint init gave it.
 */
#include "ulib.h"

enum { LABEL_PING = 1, LABEL_PONG = 2, LABEL_QUIT = 3 };

int main(const char *arg, size_t arg_len)
{
    struct task_info info;
    struct umsg msg;

    (void)arg;
    (void)arg_len;
    sys_task_info(&info);
    printf("pong: task %llu at EL%llu, address space %llu, page tables at 0x%llx\n",
           (unsigned long long)info.task_id, (unsigned long long)info.exception_level,
           (unsigned long long)info.asid, (unsigned long long)info.page_table_root);
    long err = sys_recv(0, &msg);
    while (err == 0 && MSGINFO_LABEL(msg.info) != LABEL_QUIT) {
        printf("pong: got ping seq=%llu from task %llu\n", (unsigned long long)msg.w[0],
               (unsigned long long)msg.badge);
        uint64_t reply[4] = {msg.w[0], 0, 0, 0};
        err = sys_reply_recv(0, MSGINFO(LABEL_PONG, 1), reply, &msg);
    }
    if (err != 0) {
        printf("pong: receive failed with error %ld\n", err);
        return 1;
    }
    sys_reply(MSGINFO(LABEL_QUIT, 0), NULL);
    printf("pong: asked to quit, exiting\n");
    return 0;
}
