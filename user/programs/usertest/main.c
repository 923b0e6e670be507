/*
 * usertest: the system call interface under attack (see usertest.h).
 *
 *   usertest              every case
 *   usertest NAME         one case
 *   usertest child:NAME   a helper task that some cases spawn
 *
 * Prints "ok N name" or "not ok N name" per case and a closing
 * "usertest: N passed, N failed"; exits with the number of failures. After
 * every case, and at the end, the kernel's counts of every object kind
 * must be what they were before.
 */
#include "usertest.h"

static const struct utest_case cases[] = {
    {"unknown_syscall", test_unknown_syscall},
    {"simple_calls", test_simple_calls},
    {"bad_pointers", test_bad_pointers},
    {"unterminated_string", test_unterminated_string},
    {"map_unmap", test_map_unmap},
    {"handles", test_handles},
    {"mailbox_and_long_messages", test_mailbox_and_long_messages},
    {"handle_transfer", test_handle_transfer},
    {"unreachable_mailboxes_are_freed", test_unreachable_mailboxes_are_freed},
    {"server_killed_during_call", test_server_killed_during_call},
    {"every_message_length_round_trips", test_every_message_length_round_trips},
    {"fast_path_and_mailbox_agree", test_fast_path_and_mailbox_agree},
    {"fast_path_leaves_the_odd_calls_to_the_slow_path",
     test_fast_path_leaves_the_odd_calls_to_the_slow_path},
    {"fast_path_with_a_queued_sender", test_fast_path_with_a_queued_sender},
    {"fast_path_after_a_server_forgets_a_caller", test_fast_path_after_a_server_forgets_a_caller},
    {"fast_and_slow_paths_keep_the_abi", test_fast_and_slow_paths_keep_the_abi},
    {"fp_state_across_both_paths", test_fp_state_across_both_paths},
    {"registers_across_an_interrupt", test_registers_across_an_interrupt},
    {"callee_saved_registers_across_every_parking_call",
     test_callee_saved_registers_across_every_parking_call},
    {"fast_path_ping_pong_leaves_time_for_others", test_fast_path_ping_pong_leaves_time_for_others},
    {"reply_recv_without_a_caller_keeps_no_handle",
     test_reply_recv_without_a_caller_keeps_no_handle},
    {"a_killed_sender_keeps_no_handle", test_a_killed_sender_keeps_no_handle},
    {"a_killed_receiver_keeps_no_handle", test_a_killed_receiver_keeps_no_handle},
    {"a_dying_server_keeps_no_handle", test_a_dying_server_keeps_no_handle},
    {"two_threads_of_one_task", test_two_threads_of_one_task},
    {"thread_create_limits", test_thread_create_limits},
    {"a_fault_kills_every_thread_of_the_task", test_a_fault_kills_every_thread_of_the_task},
    {"task_kill", test_task_kill},
    {"task_wait_on_itself", test_task_wait_on_itself},
    {"fault_handler_resumes_or_ends", test_fault_handler_resumes_or_ends},
    {"fault_handler_death_ends_the_faulting_task", test_fault_handler_death_ends_the_faulting_task},
    {"fault_handler_and_task_map_arguments", test_fault_handler_and_task_map_arguments},
    {"ipc_buffer_area_is_the_kernels", test_ipc_buffer_area_is_the_kernels},
    {"tls_register_is_each_threads_own", test_tls_register_is_each_threads_own},
    {"more_address_spaces_than_asids", test_more_address_spaces_than_asids},
    {"irq_to_notification", test_irq_to_notification},
    {"spawn_exit_cycles", test_spawn_exit_cycles},
    {"random_syscalls", test_random_syscalls},
    {"fp_across_preemption", test_fp_across_preemption},
};

static const struct {
    const char *name;
    int (*fn)(void);
} children[] = {
    {"random", child_random_syscalls},
    {"send-handle", child_send_handle_then_die},
    {"receive", child_receive_forever},
    {"spin", child_spin},
    {"wait-self", child_wait_for_itself},
    {"irq", child_irq},
    {"hold-call", child_hold_call},
    {"fault-twice", child_fault_twice},
    {"fault-handler-exit", child_fault_handler_exit},
    {"tls", child_tls},
    {"apart", child_apart},
};

long usertest_spawn_child(const char *name, const long *handles, size_t count)
{
    char command[48];

    ksnprintf(command, sizeof(command), "usertest child:%s", name);
    return sys_spawn(command, handles, count);
}

long usertest_spawn_echo(long ep)
{
    long handles[1] = {ep};

    return sys_spawn("echo", handles, 1);
}

int main(const char *arg, size_t arg_len)
{
    struct kernel_counts start;

    if (arg_len > 6 && memcmp(arg, "child:", 6) == 0) {
        for (unsigned i = 0; i < sizeof(children) / sizeof(children[0]); i++) {
            if (utest_arg_is(arg + 6, arg_len - 6, children[i].name)) {
                return children[i].fn();
            }
        }
        return 100;
    }
    sys_kernel_counts(&start);
    utest_run_cases(cases, sizeof(cases) / sizeof(cases[0]), arg, arg_len);
    if (utest_counts_settle(&start, "usertest as a whole") != 0) {
        printf("usertest: the kernel holds more than before the tests\n");
        return 1 + utest_summary("usertest");
    }
    return utest_summary("usertest");
}
