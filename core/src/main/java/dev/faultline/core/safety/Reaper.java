package dev.faultline.core.safety;

import dev.faultline.core.netfilter.NetfilterSweep;
import dev.faultline.core.netfilter.RuleTag;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.HelperSpec;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.helper.HelperImage;
import dev.faultline.core.helper.Helpers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small container that undoes a run when the JVM that made it disappears, SIGKILL included, in the
 * spirit of Testcontainers' Ryuk. It runs from the helper image in the host's PID namespace and
 * holds a lease on the JVM: the JVM's pid and start time in {@code /proc} (a reused pid never passes
 * for it). When the lease is lost it reads the run's ledger (its folder is mounted), undoes every
 * open entry (in {@link Undoer#ORDER}) through the Engine API (the engine's unix socket is mounted; {@code curl
 * --unix-socket}), deletes the run's netfilter rules through a short NET_ADMIN helper it creates in
 * the target's network namespace,
 * removes the run's remaining helpers, marks each entry reverted in the ledger, and exits (it was
 * started with auto-remove). A normal end of the run removes it ({@link #close()}) without undoing anything.
 *
 * <p>It needs the JVM and the engine on one host (the default local socket). Where it cannot see the
 * JVM's pid (a JVM in another PID namespace, e.g. Docker Desktop's VM) it says so and exits at once,
 * and {@link #start} returns empty: the helpers' own deadlines and {@link Recover} remain.
 */
public final class Reaper implements AutoCloseable {

    public static final String ROLE_REAPER = "reaper";
    /** Longest a reaper lives, like a helper's deadline: a day. */
    static final Duration MAX_LIFE = Duration.ofHours(24);
    private static final Duration LEASE_WAIT = Duration.ofSeconds(20);
    /**
     * Between two reads of the reaper's log while waiting for its lease. A run's first observation waits for
     * the lease (SafeRun.awaitReaper), and the lease is usually held 10-50 ms after the container starts: at
     * 100 ms between reads, half of that interval was added to every run's start on average.
     */
    private static final long LEASE_POLL_MILLIS = 20;
    /**
     * What the script writes for "no memory limit": the value {@code DockerEngine.UNLIMITED_MEMORY} writes
     * (the API takes neither a negative limit nor 0 for none); a test keeps the two equal.
     */
    static final long NO_MEMORY_LIMIT = 9223372036854771712L;
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final Engine engine;
    private final String id;
    private final String name;

    private Reaper(Engine engine, String id, String name) {
        this.engine = engine;
        this.id = id;
        this.name = name;
    }

    /**
     * Starts the run's reaper and waits until it holds the lease. Empty, with a warning logged, when
     * there can be none here (not a local unix socket, no {@code /proc}, the pid not visible to the engine).
     */
    public static Optional<Reaper> start(Engine engine, Ledger ledger) {
        return start(engine, ledger, ProcessHandle.current().pid());
    }

    /** A reaper leasing another process than this JVM (a test's stand-in, to kill without killing the test). */
    static Optional<Reaper> start(Engine engine, Ledger ledger, long pid) {
        Optional<String> start = Processes.startTicks(pid);
        Optional<String> socket = socketPath(engine.info());
        if (start.isEmpty() || socket.isEmpty()) {
            LOG.warn("run {}: no reaper ({}); if this JVM dies, faults end at their helpers' deadlines and "
                    + "`jshell scripts/recover.jsh` undoes the rest", ledger.runId(),
                    start.isEmpty() ? "no /proc to lease this JVM's pid" : "the engine is not on a local unix socket");
            return Optional.empty();
        }
        String image = HelperImage.fromSystemProperties().ensure(engine);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Helpers.RUN_ID, ledger.runId());
        labels.put(Helpers.ROLE, ROLE_REAPER);
        String name = ("faultline-reaper-" + ledger.runId()).replaceAll("[^a-zA-Z0-9_.-]", "-");
        if (name.length() > 120) {
            name = name.substring(0, 120);
        }
        Path dir = ledger.file().toAbsolutePath().getParent();
        List<String> command = List.of("timeout", "-k", "5", MAX_LIFE.toSeconds() + "s", "bash", "-c", script(), "reaper",
                Long.toString(pid), start.get(), "/ledger/" + ledger.file().getFileName(), ledger.runId(),
                RuleTag.ofRun(ledger.runId()), image, NetfilterSweep.script());
        // the host's PID namespace to watch the JVM's pid; not privileged (an engine may refuse that)
        String id = engine.run(new HelperSpec(image, command, labels, name, "host", null, List.of(), false, null,
                List.of(socket.get() + ":/var/run/docker.sock", dir + ":/ledger"), true));
        Reaper reaper = new Reaper(engine, id, name);
        if (!reaper.awaitLease()) {
            reaper.close();
            return Optional.empty();
        }
        LOG.debug("run {}: reaper {} holds a lease on JVM pid {}", ledger.runId(), name, pid);
        return Optional.of(reaper);
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    private boolean awaitLease() {
        long deadline = System.nanoTime() + LEASE_WAIT.toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            List<LogLine> lines;
            try {
                lines = engine.logs(id, Instant.EPOCH, Instant.now().plusSeconds(1));
            } catch (RuntimeException e) {
                lines = List.of(); // exited and auto-removed: it could not hold the lease
                if (Undoer.inspect(engine, id).isEmpty()) {
                    break;
                }
            }
            seen = String.join(" ", lines.stream().map(LogLine::text).map(String::strip).toList());
            if (seen.contains("lease held")) {
                return true;
            }
            if (seen.contains("no lease")) {
                break;
            }
            try {
                Thread.sleep(LEASE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.warn("reaper {} could not hold a lease on this JVM ({}); faults still end at their helpers' deadlines, and "
                + "`jshell scripts/recover.jsh` undoes the rest", name, seen.isEmpty() ? "no answer within " + LEASE_WAIT : seen);
        return false;
    }

    /** The normal end of a run: removes the reaper without it undoing anything. */
    @Override
    public void close() {
        engine.remove(id, true);
    }

    static Optional<String> socketPath(EngineInfo info) {
        if (!info.local() || info.endpoint() == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(info.endpoint());
            return "unix".equals(uri.getScheme()) ? Optional.of(uri.getPath()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The reaper's program. Arguments: JVM pid, its start ticks, the ledger inside the container, the
     * run id, the run's rule comment prefix, the helper image, the rule sweep script ({@link NetfilterSweep#script()}). Each undo looks at the container first, as {@link Undoer} does.
     */
    static String script() {
        return String.join("\n",
                "pid=$1; start=$2; ledger=$3; run=$4; prefix=$5; image=$6; sweep=$7",
                "say() { echo \"reaper[$run]: $*\"; }",
                "api() { local body=(); [ -n \"$3\" ] && body=(-H 'Content-Type: application/json' -d \"$3\")",
                "  curl -sS --max-time \"${4:-30}\" --unix-socket /var/run/docker.sock -o /tmp/body -w '%{http_code}' -X \"$1\" \"${body[@]}\" \"http://docker$2\"; }",
                "state() { curl -sS --max-time 30 --unix-socket /var/run/docker.sock \"http://docker/containers/$1/json\" 2>/dev/null; }",
                "alive() { [ \"$(sed 's/.*) //' /proc/$pid/stat 2>/dev/null | cut -d' ' -f20)\" = \"$start\" ]; }",
                "# an entry is closed when its undo call worked or its container is gone (with it went the change);",
                "# any other answer leaves it open, so that Recover still sees it (and tries again, and says so)",
                "undone() { # HTTP code, what was done, the container's name",
                "  case \"$1\" in 2??|304) say \"$2\";; 404) say \"$3 is gone: nothing to undo\";;",
                "    *) say \"left open for recover: $2 failed (HTTP $1: $(head -c 300 /tmp/body 2>/dev/null))\"; return 1;; esac; }",
                "mark() { [ -f \"$ledger\" ] && printf '{\"type\":\"reverted\",\"at\":\"%s\",\"seq\":%s,\"by\":\"reaper\"}\\n' \"$(date -u +%FT%TZ)\" \"$1\" >> \"$ledger\"; }",
                "trap 'exit 0' TERM INT",
                "if ! alive; then say \"cannot see JVM pid $pid (start $start) in the host PID namespace: no lease\"; exit 3; fi",
                "say \"lease held on JVM pid $pid\"",
                "while alive; do sleep 0.5 & wait $!; done",
                "trap '' TERM INT",
                "say \"lease lost: JVM $pid is gone; undoing run $run\"",
                "rules() { # container id, name: a short NET_ADMIN helper in its network namespace deletes the run's rules",
                "  body=$(jq -n --arg img \"$image\" --arg id \"$1\" --arg run \"$run\" --arg prefix \"$prefix\" --arg name \"$2\" --arg s \"$sweep\" \\",
                "    '{Image: $img, Cmd: [\"timeout\", \"-k\", \"5\", \"30s\", \"bash\", \"-c\", $s, \"sweep\", $prefix, \"\", $name],'\\",
                "'     Labels: {\"faultline.run-id\": $run, \"faultline.role\": \"helper\", \"faultline.fault\": \"rule-sweep\", \"faultline.target\": $name},'\\",
                "'     HostConfig: {NetworkMode: (\"container:\" + $id), CapAdd: [\"NET_ADMIN\"]}}')",
                "  code=$(api POST /containers/create \"$body\")",
                "  [ \"$code\" = 201 ] || { undone \"$code\" \"a rule sweep in $2\" \"$2\"; return; }",
                "  hid=$(jq -r .Id /tmp/body); swept=1",
                "  code=$(api POST \"/containers/$hid/start\")",
                "  if [ \"$code\" = 204 ]; then",
                "    api POST \"/containers/$hid/wait\" '' 45 >/dev/null; rc=$(jq -r .StatusCode /tmp/body 2>/dev/null)",
                "    if [ \"$rc\" = 0 ]; then say \"swept netfilter rules $prefix* in $2\"; swept=0",
                "    else say \"left open for recover: the rule sweep in $2 ended with $rc\"; fi",
                "  else undone \"$code\" \"starting a rule sweep in $2\" \"$2\"; swept=$?; fi",
                "  api DELETE \"/containers/$hid?force=true\" >/dev/null",
                "  return $swept",
                "}",
                "spec() { # URL of a swarm object on the manager's API, a jq edit of its Spec using $v, the value: GET, POST back",
                "  [ \"$(curl -sS --max-time 30 -o /tmp/object -w '%{http_code}' \"$1\")\" = 200 ] || return 1",
                "  jq -c --arg v \"$3\" \".Spec | $2\" /tmp/object > /tmp/spec || return 1",
                "  [ \"$(curl -sS --max-time 30 -o /tmp/body -w '%{http_code}' -X POST -H 'Content-Type: application/json' \\",
                "      --data-binary @/tmp/spec \"$1/update?version=$(jq -r .Version.Index /tmp/object)\")\" = 200 ]",
                "}",
                "helper() { # id name",
                "  api POST \"/containers/$1/kill?signal=TERM\" >/dev/null",
                "  api POST \"/containers/$1/wait?condition=not-running\" '' 12 >/dev/null",
                "  code=$(api DELETE \"/containers/$1?force=true\")",
                "  [ \"$code\" = 409 ] && code=204 # a forced removal refused only while one is under way (its auto-remove)",
                "  undone \"$code\" \"removed helper $2\" \"$2\"",
                "}",
                "if [ -f \"$ledger\" ]; then",
                "  jq -R -c 'fromjson? // empty' \"$ledger\" | jq -s -r '",
                "    ([.[] | select(.type == \"reverted\") | .seq]) as $done",
                "    | (reduce (.[] | select(.type == \"confirmed\" and has(\"containerId\"))) as $c ({}; .[($c.seq | tostring)] = $c.containerId)) as $ids",
                "    | [.[] | select(.type == \"intent\") | select(.seq as $s | ($done | index($s)) | not)] | reverse",
                "    | sort_by({\"unpause\": 0, \"start\": 1, \"restore-cpu-quota\": 2, \"remove-helper\": 3, \"restore-memory-limit\": 4,"
                        + " \"delete-rules\": 5, \"node-availability\": 6, \"scale\": 7}[.undo.action]) | .[]",
                "    | [(.seq | tostring), .undo.action, ($ids[(.seq | tostring)] // .undo.containerId), .undo.containerName,",
                "       (.undo.quota | tostring), (.undo.period | tostring), (.undo.comment // \"\" | if . == \"\" then \"-\" else . end),",
                "       (.undo.api // \"\" | if . == \"\" then \"-\" else . end)] | @tsv' > /tmp/open",
                "  while IFS=$'\\t' read -r seq action id name quota period comment swarm; do",
                "    case \"$action\" in",
                "      unpause) st=$(state \"$id\" | jq -r 'if .State then .State.Paused else \"gone\" end' 2>/dev/null)",
                "               [ -n \"$st\" ] || { say \"left open for recover: unpause $name (the engine did not answer)\"; continue; }",
                "               if [ \"$st\" = true ]; then undone \"$(api POST \"/containers/$id/unpause\")\" \"unpaused $name\" \"$name\" || continue; fi;;",
                "      start) st=$(state \"$id\" | jq -r 'if .State then .State.Status else \"gone\" end' 2>/dev/null)",
                "               [ -n \"$st\" ] || { say \"left open for recover: start $name (the engine did not answer)\"; continue; }",
                "               if [ \"$st\" = exited ] || [ \"$st\" = created ]; then",
                "                 undone \"$(api POST \"/containers/$id/start\")\" \"started $name\" \"$name\" || continue; fi;;",
                "      restore-cpu-quota) q=$quota; [ \"$q\" -gt 0 ] || q=-1",
                "               undone \"$(api POST \"/containers/$id/update\" \"{\\\"CpuQuota\\\":$q,\\\"CpuPeriod\\\":$period}\")\" \\",
                "                 \"restored CPU quota $q/$period on $name\" \"$name\" || continue;;",
                "      remove-helper) helper \"$id\" \"$name\" || continue;;",
                "      restore-memory-limit) m=$quota; w=\"$quota bytes\"; [ \"$m\" -gt 0 ] || { m=" + NO_MEMORY_LIMIT + "; w=none; }",
                "               # memory+swap equal (no swap), as the engine sets it",
                "               undone \"$(api POST \"/containers/$id/update\" \"{\\\"Memory\\\":$m,\\\"MemorySwap\\\":$m}\")\" \\",
                "                 \"restored memory limit $w on $name\" \"$name\" || continue;;",
                "      delete-rules) rules \"$id\" \"$name\" || continue;;",
                "      node-availability) if [ \"$swarm\" = - ] || ! spec \"$swarm/nodes/$id\" '.Availability = $v' \"$comment\"; then",
                "               say \"left open for recover: set swarm node $name back to $comment (no swarm API reached: $swarm)\"; continue; fi",
                "             say \"set swarm node $name back to $comment\";;",
                "      scale) if [ \"$swarm\" = - ] || ! spec \"$swarm/services/$id\" '.Mode.Replicated.Replicas = ($v | tonumber)' \"$quota\"; then",
                "               say \"left open for recover: scale swarm service $name back to $quota (no swarm API reached: $swarm)\"; continue; fi",
                "             say \"scaled swarm service $name back to $quota\";;",
                "      *) say \"left open for recover: $action of $name (unknown to this reaper)\"; continue;;",
                "    esac",
                "    mark \"$seq\"",
                "  done < /tmp/open",
                "fi",
                "# helpers the ledger may not know (started by code that bypassed it)",
                "curl -sS --max-time 30 --unix-socket /var/run/docker.sock -G --data-urlencode "
                        + "\"filters={\\\"label\\\":[\\\"faultline.run-id=$run\\\",\\\"faultline.role=helper\\\"]}\" "
                        + "'http://docker/containers/json?all=true' | jq -r '.[] | [.Id, (.Names[0] | ltrimstr(\"/\"))] | @tsv' |",
                "  while IFS=$'\\t' read -r id name; do helper \"$id\" \"$name\"; done",
                "say \"run $run undone\"",
                "exit 0");
    }
}
