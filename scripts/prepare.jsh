// Gets this machine ready for experiments, so that none of them pays for it: builds the helper image
// the faults run their tools in (once; later calls find it and return at once). `make demo` runs it.
// Run from the repository root after `mvn package`:
//   jshell scripts/prepare.jsh
// -Dfaultline.helper.base=<image> (through JAVA_TOOL_OPTIONS) picks another base than faultline/debian:trixie.
// Exit code: 0 ready (the image's tag is printed), 2 no engine or the image could not be built (the reason is printed).
/env --class-path scripts/target/faultline-scripts.jar
import dev.faultline.dsl.Chaos;
int code = 2;
try {
    long t0 = System.nanoTime();
    String tag = Chaos.prepare();
    System.out.printf("ready: helper image %s (%.1f s)%n", tag, (System.nanoTime() - t0) / 1e9);
    code = 0;
} catch (RuntimeException e) {
    System.out.println("not ready: " + e.getMessage());
}
/exit code
