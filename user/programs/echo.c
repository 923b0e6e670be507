/*
 * echo: a server that answers every call on handle 0 with the same label
 * and length, each word plus one (words 4 and up travel in the IPC buffer).
 * Over a rendezvous endpoint every length takes the kernel's register fast
 * path; over a mailbox, the slow path. usertest checks that both give the
 * same answers. LABEL_QUIT ends it.
 */
#include "ulib.h"

enum { LABEL_QUIT = 3 };

int main(const char *arg, size_t arg_len)
{
    struct umsg msg;

    (void)arg;
    (void)arg_len;
    long err = sys_recv(0, &msg);
    while (err == 0 && MSGINFO_LABEL(msg.info) != LABEL_QUIT) {
        uint32_t length = MSGINFO_LENGTH(msg.info);
        uint64_t words[4];
        for (unsigned i = 0; i < 4; i++) {
            words[i] = i < length ? msg.w[i] + 1 : 0;
        }
        for (unsigned i = 4; i < length; i++) {
            ipc_buffer()[i] += 1;
        }
        err = sys_reply_recv(0, MSGINFO(MSGINFO_LABEL(msg.info), length), words, &msg);
    }
    if (err == 0) {
        sys_reply(MSGINFO(LABEL_QUIT, 0), NULL);
    }
    return err == 0 ? 0 : 1;
}
