"""IPC demos: ping/pong over mailboxes, backpressure, call/reply, and a stress run."""
import pytest

from qemu import boot, expect


@pytest.mark.smoke
def test_ping_pong_round_trips_in_order(kernel):
    run = boot(kernel, "demo=ipc rounds=20 exit")
    lines = []
    for seq in range(1, 21):
        lines += [rf"^task/ping: sent ping seq={seq}$", rf"^task/pong: got ping seq={seq}$",
                  rf"^task/ping: got pong seq={seq}$"]
    expect(run, 0, lines + [r"^ipc: 20 round trips, in order$", r"powering off$"])
    assert "seq=21" not in run.output, run.explain()


def test_backpressure_reports_full_then_completes(kernel):
    run = boot(kernel, "demo=ipc rounds=1 exit")
    expect(run, 0, [
        r"^ipc: scene 2: backpressure",
        r"^task/producer: try_send seq=4 -> queued$",
        r"^task/producer: try_send seq=5 -> E_FULL \(mailbox holds 4\)$",
        r"^task/producer: send seq=5 blocks until the consumer makes room$",
        r"^task/consumer: got seq=1$",
        r"^task/producer: send seq=5 done$",
        r"^task/producer: all 8 sent, blocked 4 times$",
        r"^task/consumer: got seq=8$",
        r"^ipc: backpressure: 8 messages through a depth-4 mailbox, none lost$",
    ])


@pytest.mark.smoke
def test_call_reply_recv_in_order(kernel):
    run = boot(kernel, "demo=ipc-sync rounds=20 exit")
    lines = []
    for seq in range(1, 21):
        lines += [rf"^task/client: call ping seq={seq}$",
                  rf"^task/server: got ping seq={seq} from thread \d+, replying pong$",
                  rf"^task/client: got pong seq={seq}$"]
    expect(run, 0, lines + [r"^task/server: endpoint closed, exiting$",
                            r"^ipc-sync: 20 calls answered, in order$"])


def test_stress_every_message_accounted_for(kernel):
    run = boot(kernel, "demo=ipc-stress producers=8 consumers=2 messages=100000 exit",
               timeout=120)
    expect(run, 0, [
        r"^ipc-stress: 8 producers, 2 consumers, 100000 messages, mailbox depth 8$",
        r"^ipc-stress: consumer 0 received \d+$",
        r"^ipc-stress: consumer 1 received \d+$",
        r"^ipc-stress: all 100000 messages accounted for: none lost, none duplicated, "
        r"checksums match",
    ], forbidden=[r"FAILED", r"KERNEL PANIC", r"KERNEL EXCEPTION"])


def test_stress_with_many_consumers(kernel):
    run = boot(kernel, "demo=ipc-stress producers=3 consumers=5 messages=30000 exit")
    expect(run, 0, [r"^ipc-stress: all 30000 messages accounted for"], forbidden=[r"FAILED"])
