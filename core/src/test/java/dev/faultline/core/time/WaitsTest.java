package dev.faultline.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitsTest {

    @Test
    void returnsNoEarlierThanTheDeadline() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000;
        assertThat(Waits.until(deadline, () -> false)).isTrue();
        assertThat(System.nanoTime() - deadline).isNotNegative();
    }

    @Test
    void aPastDeadlineReturnsAtOnceEvenWhenAbandoned() throws InterruptedException {
        assertThat(Waits.until(System.nanoTime() - 1, () -> true)).isTrue();
    }

    @Test
    void abandoningEndsTheWait() throws InterruptedException {
        AtomicInteger checks = new AtomicInteger();
        long far = System.nanoTime() + 3_600_000_000_000L;
        assertThat(Waits.until(far, Waits.SPIN_NANOS, () -> checks.incrementAndGet() > 2, nanos -> false)).isFalse();
        assertThat(checks).hasValue(3);
    }

    @Test
    void aPauseThatSaysStopEndsTheWaitAndGetsAllButTheSpin() throws InterruptedException {
        long far = System.nanoTime() + 3_600_000_000_000L;
        long[] asked = new long[1];
        assertThat(Waits.until(far, 1_000_000, () -> false, nanos -> {
            asked[0] = nanos;
            return true;
        })).isFalse();
        assertThat(asked[0]).isBetween(3_500_000_000_000L, 3_600_000_000_000L - 1_000_000);
    }

    @Test
    void anInterruptEndsTheWaitWithInterruptedException() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Waits.until(System.nanoTime() + 3_600_000_000_000L, () -> false))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the flag is cleared, as InterruptedException means").isFalse();
    }
}
