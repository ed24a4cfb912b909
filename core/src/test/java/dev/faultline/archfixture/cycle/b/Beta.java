package dev.faultline.archfixture.cycle.b;

import dev.faultline.archfixture.cycle.a.Alpha;

/** The other half of the deliberate cycle (b -> a). */
public final class Beta {
    public Alpha back() {
        return new Alpha();
    }
}
