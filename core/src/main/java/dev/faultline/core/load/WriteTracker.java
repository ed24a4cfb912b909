package dev.faultline.core.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects what tracked writes said about themselves, for the write-loss check after recovery: every
 * acknowledged id must read back; uncertain writes may or may not have committed and are only counted.
 * Add it as a {@link RequestListener}; thread-safe.
 */
public final class WriteTracker implements RequestListener {

    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final LongAdder uncertain = new LongAdder();
    private final LongAdder failed = new LongAdder();

    @Override
    public void onRequest(RequestRecord record) {
        if (record.writeOutcome() == null) return;
        switch (record.writeOutcome()) {
            case OK -> acknowledged.add(record.writeId());
            case UNCERTAIN -> uncertain.increment();
            case FAILED -> failed.increment();
        }
    }

    /** Ids the service acknowledged, sorted. */
    public List<Long> acknowledgedIds() {
        List<Long> ids = new ArrayList<>(acknowledged);
        ids.sort(null);
        return ids;
    }

    public long uncertain() {
        return uncertain.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** The acknowledged ids missing from {@code readBack}, sorted: lost writes, the worst finding a run can have. */
    public List<Long> lost(Set<Long> readBack) {
        return acknowledgedIds().stream().filter(id -> !readBack.contains(id)).toList();
    }
}
