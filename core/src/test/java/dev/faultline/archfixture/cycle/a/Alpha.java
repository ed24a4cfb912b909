package dev.faultline.archfixture.cycle.a;

import dev.faultline.archfixture.cycle.b.Beta;

/** Half of a deliberate package cycle (a -> b -> a): ArchitectureTest proves its cycle rule reports it. */
public final class Alpha {
    public Beta next() {
        return new Beta();
    }
}
