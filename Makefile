# Entry points. Each target installs and starts what it needs (tools/*.sh), so they work
# on a fresh Debian machine as root: that is how CI runs (.ci/run -> make test).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MVN ?= mvn -B
DEMO_PROJECT ?= demo

.PHONY: demo demo-down demo-check game-day test bench toolchain engine images recover swarm-demo swarm-down

toolchain:
	tools/toolchain.sh

engine:
	tools/engine-up.sh

# Builds the base image first if needed; fast when nothing changed.
images: engine
	demo/images.sh

# The demo stack (resilient) on localhost:$${DEMO_PORT:-8081}, then the experiments.
demo: toolchain images
	$(MVN) -q install -DskipTests
	demo/up.sh -p $(DEMO_PROJECT) resilient
	jshell scripts/prepare.jsh
	if [[ -f scripts/status.jsh ]]; then jshell scripts/status.jsh; \
	else docker-compose -p $(DEMO_PROJECT) -f demo/docker-compose.yml ps; fi
	if [[ -f scripts/run-all.jsh ]]; then jshell scripts/run-all.jsh; fi

# A game day (docs/scheduling.md): the seed experiments and the advanced scenarios in order on a
# freshly started stack; one results folder per run under reports/results/. Exit code: the worst
# outcome (0 held, 1 failed, 2 could not run, 3 refused, 4 aborted). DEMO_CONFIG=fragile shows the failures.
DEMO_CONFIG ?= resilient
game-day: toolchain images
	$(MVN) -q install -DskipTests
	demo/up.sh -p $(DEMO_PROJECT) $(DEMO_CONFIG)
	FAULTLINE_PROJECT=$(DEMO_PROJECT) FAULTLINE_URL=http://localhost:$${DEMO_PORT:-8081}/health/ \
	  jshell scripts/game-day.jsh

demo-down:
	demo/down.sh -p $(DEMO_PROJECT)

# How each demo configuration behaves under a crash and a database restart (about 1 min).
demo-check: images
	demo/check.sh

# Unit and integration tests; the integration tests bring their own stacks up and down.
# Chromium renders report.html in HtmlInChromiumIT (installed here so the test need not).
test: toolchain images
	tools/chromium.sh
	$(MVN) verify

# The base image first: the timer and faults sections start containers from it (without it, on a fresh
# machine, the faults section failed on a registry pull and its three goals went unmeasured).
bench: toolchain images
	if [[ -f benchmarks/run.sh ]]; then bash benchmarks/run.sh; \
	else echo "bench: benchmarks/run.sh does not exist yet"; fi

# Undo everything faultline left on this engine (helpers, reapers, rules, pauses, stops, quotas of
# dead runs); replaces the seed's emergency `docker-compose down && up -d`. Exit 1: something could
# not be undone (printed), 2: no engine.
recover: toolchain
	$(MVN) -q install -DskipTests
	jshell scripts/recover.jsh

# The demo on a three-node Docker Swarm of engines in containers (the local engine never joins a
# swarm), then scripts/swarm/01-task-kill.jsh against it. The nodes stay up for more experiments:
# `source swarm-demo.env` sets FAULTLINE_SWARM, FAULTLINE_URL and FAULTLINE_SWARM_MACHINES; `make swarm-down` removes them.
swarm-demo: toolchain images
	$(MVN) -q package -pl scripts -am -DskipTests
	# faultline's helper image goes into the nodes too: they cannot pull it
	echo 'System.out.println(dev.faultline.core.helper.HelperImage.fromSystemProperties().ensure(dev.faultline.core.engine.docker.Engines.docker()));' \
	  | jshell --class-path scripts/target/faultline-scripts.jar -q - >/dev/null
	tools/swarm/down.sh demo
	tools/swarm/up.sh -i demo -f /tmp/faultline-swarm-demo.env
	source /tmp/faultline-swarm-demo.env && printf 'export FAULTLINE_SWARM=%s FAULTLINE_URL=%s/health/ FAULTLINE_SWARM_MACHINES="%s"\n' \
	  "$$SWARM_MANAGER" "$$SWARM_URL" "$$SWARM_NODE_CONTAINERS" > swarm-demo.env
	cat swarm-demo.env
	source swarm-demo.env && DOCKER_HOST=$$FAULTLINE_SWARM docker stack ps shop --format '{{.Name}} {{.Node}} {{.CurrentState}}'
	source swarm-demo.env && jshell scripts/swarm/01-task-kill.jsh

swarm-down:
	tools/swarm/down.sh demo
	rm -f swarm-demo.env
