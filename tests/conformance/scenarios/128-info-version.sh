# Scenario: version and info basics that any Docker-compatible engine reports
docker version --format '{{.Server.Os}}/{{.Server.Arch}} api>={{if ge .Server.APIVersion "1.41"}}1.41{{end}}'
docker info --format '{{.OSType}} {{.Architecture}} {{if gt .NCPU 0}}cpus{{end}} {{if gt .MemTotal 0}}mem{{end}}'
docker info --format '{{if ge .Images 1}}images>=1{{end}}'
