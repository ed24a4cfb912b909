package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The common shape of faults that act on each chosen container of one service: resolve and check
 * every container first (touching nothing if one is not running), then inject one by one, and
 * undo what was done if a later container fails. An interface so that the faults can be records.
 */
interface PerContainerFaultSupport extends Fault {

    Targeting targeting();

    /** Short name for messages and helper labels, e.g. {@code crash}. */
    String kind();

    Injection injectOne(FaultContext context, ContainerInfo container);

    @Override
    default Injection inject(FaultContext context) {
        List<ContainerInfo> containers = targeting().resolve(context, kind() + " " + targeting());
        List<Injection> done = new ArrayList<>();
        for (ContainerInfo container : containers) {
            try {
                done.add(injectOne(context, container));
            } catch (RuntimeException e) {
                SimpleInjection.undoing(e, () -> SimpleInjection.closeAll(done));
                if (e instanceof FaultException) {
                    throw e;
                }
                throw new FaultException(kind() + " " + container.name() + " failed: " + e.getMessage(), e);
            }
        }
        return SimpleInjection.all(done);
    }
}
