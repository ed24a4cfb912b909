package dev.faultline.core.restore;

import dev.faultline.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link StackRestore#restore()} found and did.
 *
 * @param faultsLeftBehind faults still in effect when the restore began (a pause, a lowered CPU quota, a
 *                         running helper): whatever made them did not revert them; each was undone
 * @param repairs          what the stack itself was left in (a container exited and not restarted, an
 *                         unhealthy one), and what was done about it
 * @param took             from the start of the restore until the steady state held again
 */
public record Restoration(String project, List<String> faultsLeftBehind, List<String> repairs, Duration took) {

    public Restoration {
        faultsLeftBehind = List.copyOf(faultsLeftBehind);
        repairs = List.copyOf(repairs);
    }

    /** Nothing was left behind and nothing needed repair. */
    public boolean untouched() {
        return faultsLeftBehind.isEmpty() && repairs.isEmpty();
    }

    /** One line per thing undone or repaired; "nothing to restore" when the stack was as it was. */
    public List<String> lines() {
        if (untouched()) {
            return List.of("restore " + project + ": nothing to restore");
        }
        List<String> lines = new ArrayList<>();
        faultsLeftBehind.forEach(f -> lines.add("restore " + project + ": fault left behind: " + f));
        repairs.forEach(r -> lines.add("restore " + project + ": " + r));
        lines.add("restore " + project + ": steady again after " + Durations.words(took));
        return lines;
    }
}
