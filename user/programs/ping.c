/*
 * ping: the client. It calls pong over the endpoint init gave it (handle
 * 0), five times, and checks each answer.
 */
#include "ulib.h"

enum { LABEL_PING = 1, LABEL_PONG = 2 };

int main(const char *arg, size_t arg_len)
{
    struct task_info info;

    (void)arg;
    (void)arg_len;
    sys_task_info(&info);
    printf("ping: task %llu at EL%llu, address space %llu, page tables at 0x%llx\n",
           (unsigned long long)info.task_id, (unsigned long long)info.exception_level,
           (unsigned long long)info.asid, (unsigned long long)info.page_table_root);
    for (uint64_t seq = 1; seq <= 5; seq++) {
        uint64_t words[4] = {seq, 0, 0, 0};
        struct umsg reply;
        printf("ping: sent ping seq=%llu\n", (unsigned long long)seq);
        long err = sys_call(0, MSGINFO(LABEL_PING, 1), words, &reply);
        if (err != 0 || MSGINFO_LABEL(reply.info) != LABEL_PONG || reply.w[0] != seq) {
            printf("ping: bad reply (error %ld)\n", err);
            return 1;
        }
        printf("ping: got pong seq=%llu\n", (unsigned long long)reply.w[0]);
    }
    return 0;
}
