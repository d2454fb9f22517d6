# Scenario: image inspect fields of the imported reference image
docker image inspect -f '{{.Os}} {{.Architecture}} {{.RootFS.Type}} {{len .RootFS.Layers}}' alpine
docker image inspect -f '{{range .RepoTags}}{{println .}}{{end}}' alpine | grep -E '^(alpine|busybox-ref):latest$'
docker image inspect -f '{{json .Config.Cmd}} {{json .Config.Entrypoint}} {{json .Config.Env}} {{.Config.WorkingDir}}|{{.Comment}}|{{.Author}}' alpine
docker image inspect -f '{{.Id}}' alpine | grep -Eq '^sha256:[0-9a-f]{64}$' && echo "sha256 id"
docker image inspect -f '{{if gt .Size 1000000}}size > 1MB{{end}}' alpine
docker image inspect -f '{{json .RepoDigests}} {{.Parent}}' alpine
[ "$(docker image inspect -f '{{.Id}}' alpine)" = "$(docker image inspect -f '{{.Id}}' busybox-ref)" ] && echo "both names, one image"
