/*
 * _start: where a user program begins. The kernel enters here at EL0 with
 * sp at the top of the program's stack and x0/x1 describing its argument
 * string (a pointer into the stack and a length). main's return value
 * becomes the task's exit status.
 */
.section .text.start, "ax"
.globl _start
_start:
    mov     x29, xzr                /* end of the frame-pointer chain */
    mov     x30, xzr
    bl      main
    bl      sys_exit
1:  b       1b
