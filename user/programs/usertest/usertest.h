/*
 * usertest: attacks the system call interface from user mode, the way a
 * buggy or hostile program would, and checks every answer. Each bad call
 * must come back with an error code and leave this task running, and each
 * case must give back every kernel object it took (utest_run checks).
 *
 *   calls.c      numbers, pointers, strings, memory, random arguments
 *   ipc.c        handles, messages, mailboxes, and handles in messages
 *   tasks.c      threads, spawn, exit, kill, waiting
 *   isolation.c  what belongs to the kernel stays the kernel's
 *   faults.c     fault handlers, and mapping into another task
 *   fastpath.c   the IPC fast path against the slow path
 *   registers.c  the registers a thread gets back after an interrupt or a parking call
 *
 * Some cases need a task of their own to end; usertest spawns itself as
 * "usertest child:NAME" for those (usertest_child).
 */
#ifndef USERTEST_H
#define USERTEST_H

#include "utest.h"

#define PAGE        4096UL
#define KERNEL_ADDR 0xffff000040200000UL
#define UNMAPPED    0x0000200000000000UL

/* Spawns "usertest child:NAME" with the given handles; the task handle. */
long usertest_spawn_child(const char *name, const long *handles, size_t count);

/* Spawns the echo server (user/programs/echo.c) on endpoint ep. */
long usertest_spawn_echo(long ep);

/* How many IPC operations the kernel has completed on its fast path. */
uint64_t fastpath_count(void);

void test_unknown_syscall(void);
void test_simple_calls(void);
void test_bad_pointers(void);
void test_unterminated_string(void);
void test_map_unmap(void);
void test_random_syscalls(void);
int child_random_syscalls(void);

void test_handles(void);
void test_mailbox_and_long_messages(void);
void test_handle_transfer(void);
void test_unreachable_mailboxes_are_freed(void);
void test_server_killed_during_call(void);
void test_every_message_length_round_trips(void);
void test_reply_recv_without_a_caller_keeps_no_handle(void);
void test_a_killed_sender_keeps_no_handle(void);
void test_a_killed_receiver_keeps_no_handle(void);
void test_a_dying_server_keeps_no_handle(void);
int child_send_handle_then_die(void);
int child_receive_forever(void);

void test_two_threads_of_one_task(void);
void test_thread_create_limits(void);
void test_a_fault_kills_every_thread_of_the_task(void);
void test_spawn_exit_cycles(void);
void test_fp_across_preemption(void);
void test_task_kill(void);
void test_task_wait_on_itself(void);
int child_spin(void);
int child_hold_call(void);
int child_wait_for_itself(void);

void test_fast_path_and_mailbox_agree(void);
void test_fast_path_leaves_the_odd_calls_to_the_slow_path(void);
void test_fast_path_with_a_queued_sender(void);
void test_fast_path_after_a_server_forgets_a_caller(void);
void test_fast_and_slow_paths_keep_the_abi(void);
void test_fp_state_across_both_paths(void);
void test_registers_across_an_interrupt(void);
void test_callee_saved_registers_across_every_parking_call(void);
void test_fast_path_ping_pong_leaves_time_for_others(void);

void test_fault_handler_resumes_or_ends(void);
void test_fault_handler_death_ends_the_faulting_task(void);
void test_fault_handler_and_task_map_arguments(void);
int child_fault_twice(void);
int child_fault_handler_exit(void);

void test_ipc_buffer_area_is_the_kernels(void);
void test_tls_register_is_each_threads_own(void);
int child_tls(void);
void test_more_address_spaces_than_asids(void);
int child_apart(void);
void test_irq_to_notification(void);
int child_irq(void);

#endif
