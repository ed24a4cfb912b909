#!/bin/bash
# Starts this node's dockerd. Its containers go under the cgroup /<node name> (the host's
# cgroup tree is mounted; cgroupns host), so each node's tasks are found, and removed, by name.
# The API listens on the node's own socket and on TCP 2375 of the network the node was
# attached to (a user-defined bridge that up.sh created): that is how the host reaches it.
set -euo pipefail
node=${FAULTLINE_NODE:?FAULTLINE_NODE is not set}
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
exec dockerd --cgroup-parent="/$node" --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 \
  --tls=false --storage-driver=overlay2 --log-level=warn
