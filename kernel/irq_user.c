/* Interrupts delivered to user-mode drivers as notifications (see include/kernel/irq_user.h). */
#include "kernel/irq_user.h"

#include "hal/irq.h"
#include "kernel/config.h"
#include "kernel/failpoint.h"
#include "kernel/irq.h"
#include "kernel/klock.h"
#include "kernel/notify.h"
#include "uapi/errors.h"

#define IRQ_FIRST_SPI 32

struct irq_binding {
    struct task *owner; /* NULL: a free slot */
    uint32_t irq;
    struct notification *notification;
    uint64_t bits;
};

static struct irq_binding bindings[CONFIG_MAX_IRQ_BINDINGS];
static int irq_control_object; /* its address is the capability's identity */

void *irq_user_control(void)
{
    return &irq_control_object;
}

/* In the interrupt: mask the line until the driver acknowledges, so a
 * level-triggered device cannot storm while its driver is not yet running. */
static void irq_user_handler(uint32_t irq, void *ctx)
{
    struct irq_binding *b = ctx;

    hal_irq_disable(irq);
    notify_signal_locked(b->notification, b->bits);
}

static struct irq_binding *irq_user_find(const struct task *owner, uint32_t irq)
{
    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_IRQ_BINDINGS; i++) {
        if (bindings[i].owner == owner && bindings[i].irq == irq && owner) {
            return &bindings[i];
        }
    }
    return NULL;
}

int irq_user_bind(struct task *owner, uint32_t irq, struct notification *n, unsigned bit)
{
    KLOCK_ASSERT_HELD();
    if (irq < IRQ_FIRST_SPI || irq >= IRQ_MAX || bit > 62) {
        return E_INVAL;
    }
    if (irq_is_reserved(irq)) {
        return E_PERM; /* the console's line: the kernel keeps that device */
    }
    if (failpoint_hit(FAILPOINT_IRQ_BINDING)) {
        return E_NOSPC;
    }
    struct irq_binding *b = NULL;
    for (unsigned i = 0; !b && i < CONFIG_MAX_IRQ_BINDINGS; i++) {
        if (!bindings[i].owner) {
            b = &bindings[i];
        }
    }
    int err = b ? 0 : E_NOSPC;
    if (b) {
        b->owner = owner;
        b->irq = irq;
        b->notification = n;
        b->bits = 1ULL << bit;
        err = irq_register(irq, irq_user_handler, b);
        if (err < 0) {
            b->owner = NULL;
        } else {
            notify_ref(n);
            hal_irq_set_trigger(irq, IRQ_TRIGGER_LEVEL);
        }
    }
    return err;
}

int irq_user_ack(struct task *owner, uint32_t irq)
{
    if (!irq_user_find(owner, irq)) {
        return E_PERM;
    }
    hal_irq_enable(irq);
    return 0;
}

int irq_user_trigger(struct task *owner, uint32_t irq)
{
    if (!irq_user_find(owner, irq)) {
        return E_PERM;
    }
    hal_irq_raise(irq);
    return 0;
}

void irq_user_release(struct task *owner)
{
    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_IRQ_BINDINGS; i++) {
        struct irq_binding *b = &bindings[i];
        if (b->owner == owner && owner) {
            irq_unregister(b->irq);
            b->owner = NULL;
            notify_unref(b->notification);
        }
    }
}

unsigned irq_user_binding_count(void)
{
    unsigned n = 0;

    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_IRQ_BINDINGS; i++) {
        n += bindings[i].owner != NULL;
    }
    return n;
}
