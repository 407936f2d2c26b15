//! The dataflow rules across the files of a project: the `vigil` binary on
//! a tree made in the test, with the exact findings and their paths.
//!
//! Single-file behaviour (each propagation form, sanitizer and guard) is in
//! the `T*.py` rule fixtures; here are the flows a file cannot show alone:
//! a call into another module, `from pkg import mod`, relative imports,
//! methods inherited from a class in another module, and mutual recursion
//! across modules.

mod common;

use std::process::Output;

use common::{Repo, tree, vigil_at as vigil};

/// A finding's file, line and rule.
type Where = (String, u64, String);

/// Every finding, and the notes of every finding's path.
fn findings(out: &Output) -> (Vec<Where>, Vec<Vec<String>>) {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let list = doc["findings"].as_array().unwrap();
    let found = list
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let steps = list
        .iter()
        .map(|f| {
            f["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| format!("{}: {}", s["line"], s["note"].as_str().unwrap()))
                .collect()
        })
        .collect();
    (found, steps)
}

const API: &str = "\
from flask import Flask, request

from pkg.virt import images
from pkg import storage

app = Flask(__name__)


@app.route('/fetch')
def fetch():
    path = request.args['path']
    images.fetch_image(path)
    images.fetch_image('/var/lib/images/base')
    storage.LocalStore().remove(path)
    return ''
";

const IMAGES: &str = "\
from oslo_concurrency import processutils

from . import convert


def fetch_image(target):
    _do_copy(target)


def _do_copy(dest):
    convert.to_raw(dest, 3)
";

const CONVERT: &str = "\
import subprocess

from pkg.virt import images


def to_raw(path, depth):
    if depth > 0:
        return images_again(path, depth - 1)
    subprocess.run('qemu-img convert -f qcow2 -O raw ' + path + ' out', shell=True)


def images_again(path, depth):
    return to_raw(path, depth)
";

const STORAGE: &str = "\
import os

from pkg.base import Store


class LocalStore(Store):
    root = '/var/lib/store'
";

const BASE: &str = "\
import shutil


class Store(object):
    def remove(self, name):
        self._remove(name)

    def _remove(self, name):
        shutil.rmtree('/var/lib/store/' + name)
";

/// The project the cross-module tests review.
const PROJECT: [(&str, &str); 7] = [
    ("pkg/__init__.py", ""),
    ("pkg/api.py", API),
    ("pkg/storage.py", STORAGE),
    ("pkg/base.py", BASE),
    ("pkg/virt/__init__.py", ""),
    ("pkg/virt/images.py", IMAGES),
    ("pkg/virt/convert.py", CONVERT),
];

#[test]
fn flows_cross_modules_and_classes() {
    let dir = tree(&PROJECT);
    let out = vigil(dir.path(), &["review", "--select", "T", "--format", "json", "pkg"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let (found, steps) = findings(&out);
    assert_eq!(
        found,
        vec![
            ("pkg/api.py".to_string(), 12, "T078".to_string()),
            ("pkg/api.py".to_string(), 14, "T022".to_string()),
        ]
    );
    assert_eq!(
        steps[0],
        vec![
            "11: `request.args` is an HTTP query parameter",
            "12: passed to `images.fetch_image()` as `target`",
            "12: passed to `_do_copy()` as `dest` (pkg/virt/images.py, line 7)",
            "12: passed to `convert.to_raw()` as `path` (pkg/virt/images.py, line 11)",
            "12: `subprocess.run()` runs it in a shell (pkg/virt/convert.py, line 9)",
        ]
    );
    assert_eq!(
        steps[1],
        vec![
            "11: `request.args` is an HTTP query parameter",
            "14: passed to `storage.LocalStore().remove()` as `name`",
            "14: passed to `self._remove()` as `name` (pkg/base.py, line 6)",
            "14: `shutil.rmtree()` uses it as a path (pkg/base.py, line 9)",
        ]
    );
}

/// A change review's project pass covers what the changed files import,
/// directly or not, and nothing else; what it reports on them is what the
/// whole tree's review reports, path and all.
#[test]
fn a_change_review_follows_the_calls_of_the_changed_file() {
    let repo = Repo::new();
    for (name, text) in PROJECT {
        repo.write(name, text);
    }
    // Something the change does not import: left out of the pass.
    repo.write(
        "pkg/unrelated.py",
        "from pkg.virt import convert\n\n\ndef f(x):\n    convert.to_raw(x, 1)\n",
    );
    repo.commit("base");
    repo.write(
        "pkg/api.py",
        &format!("{API}\n\n@app.route('/other')\ndef other():\n    return ''\n"),
    );
    let whole = repo.vigil(&["review", "--select", "T", "--format", "json", "--no-cache", "pkg"]);
    let change = repo.vigil(&["review", "--select", "T", "--format", "json", "--diff", "HEAD", "pkg"]);
    // The changed lines hold no finding; all of api.py as new lines does.
    assert_eq!(findings(&change).0, vec![]);
    repo.git(&["rm", "-q", "--cached", "pkg/api.py"]);
    repo.git(&["commit", "-q", "-m", "without api"]);
    repo.git(&["add", "pkg/api.py"]);
    let change = repo.vigil(&["review", "--select", "T", "--format", "json", "--diff", "HEAD", "pkg"]);
    let (found, steps) = findings(&whole);
    let only_api: Vec<usize> = (0..found.len()).filter(|&i| found[i].0 == "pkg/api.py").collect();
    assert_eq!(only_api.len(), 2, "{found:?}");
    let (changed, changed_steps) = findings(&change);
    assert_eq!(changed, only_api.iter().map(|&i| found[i].clone()).collect::<Vec<_>>());
    assert_eq!(
        changed_steps,
        only_api.iter().map(|&i| steps[i].clone()).collect::<Vec<_>>()
    );
}

/// Python binds `pkg.virt.images` as an attribute of `pkg` only once some
/// file imported it: a module that does not import it cannot rely on it,
/// and the analysis does not follow such a call (what a module sees is its
/// imports, so its findings never depend on the rest of the tree).
#[test]
fn a_module_sees_only_what_it_imports() {
    let api = "\
import pkg
from flask import request


def fetch():
    pkg.virt.images.fetch_image(request.args['path'])
";
    let importer = "from pkg.virt import images\n";
    let files = [
        ("pkg/__init__.py", ""),
        ("pkg/api.py", api),
        ("pkg/importer.py", importer),
        ("pkg/virt/__init__.py", ""),
        ("pkg/virt/images.py", IMAGES),
        ("pkg/virt/convert.py", CONVERT),
    ];
    let dir = tree(&files);
    let out = vigil(dir.path(), &["review", "--select", "T", "--format", "json", "pkg"]);
    assert_eq!(findings(&out).0, vec![], "{}", String::from_utf8_lossy(&out.stdout));
    // Importing it is what makes the call followed.
    let dir = tree(&[("pkg/api.py", &api.replace("import pkg\n", "import pkg.virt.images\n"))]);
    for (name, text) in &files[2..] {
        common::write_at(dir.path(), name, text);
    }
    common::write_at(dir.path(), "pkg/__init__.py", "");
    let out = vigil(dir.path(), &["review", "--select", "T", "--format", "json", "pkg"]);
    assert_eq!(
        findings(&out).0,
        vec![("pkg/api.py".to_string(), 6, "T078".to_string())]
    );
}

#[test]
fn a_file_alone_does_not_see_its_callees() {
    let dir = tree(&[("pkg/__init__.py", ""), ("pkg/api.py", API)]);
    let out = vigil(dir.path(), &["review", "--select", "T", "--format", "json", "pkg"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn clean_arguments_are_not_reported() {
    let api = "\
from pkg.virt import images


def fetch():
    images.fetch_image('/var/lib/images/base')
";
    let dir = tree(&[
        ("pkg/__init__.py", ""),
        ("pkg/api.py", api),
        ("pkg/virt/__init__.py", ""),
        ("pkg/virt/images.py", IMAGES),
        ("pkg/virt/convert.py", CONVERT),
    ]);
    let out = vigil(dir.path(), &["review", "--select", "T", "pkg"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "No security defects are detected in the code\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Glance's controllers get what the request deserializer parsed; they are
/// known by their module and class name, so this needs a project tree.
#[test]
fn glance_controller_parameters_are_user_input() {
    let images = "\
from oslo_concurrency import processutils


class ImagesController(object):
    def create(self, req, image, extra_properties, tags):
        hook = extra_properties.get('os_hook')
        processutils.execute('sh', '-c', 'run-hook ' + hook)
        processutils.execute('sh', '-c', 'run-hook default')


class Helper(object):
    def create(self, req, image, extra_properties, tags):
        processutils.execute('sh', '-c', 'run-hook ' + extra_properties['x'])
";
    let dir = tree(&[
        ("glance/__init__.py", ""),
        ("glance/api/__init__.py", ""),
        ("glance/api/v2/__init__.py", ""),
        ("glance/api/v2/images.py", images),
    ]);
    let out = vigil(dir.path(), &["review", "--select", "T", "--format", "json", "glance"]);
    let (found, steps) = findings(&out);
    assert_eq!(
        found,
        vec![("glance/api/v2/images.py".to_string(), 7, "T078".to_string())]
    );
    assert_eq!(
        steps[0],
        vec![
            "5: `extra_properties` is image properties from the API request",
            "7: `processutils.execute()` runs it",
        ]
    );
}

/// A secret kept in one item of what a helper returns (a tuple, a dict, a
/// dict inside a dict) or in an attribute of a client object stays there:
/// logging the other items, or the client's results, is not logging it.
#[test]
fn secrets_stay_in_their_items_across_calls() {
    let clients = "\
from oslo_concurrency import processutils


class Client(object):
    def __init__(self, password):
        self.password = password


class Other(object):
    pass


def get_client(config, legacy):
    if legacy:
        client = Client(password=config.san_password)
    else:
        client = Other(config.san_password)
    return client


def connection_params(backend):
    return (backend.address, backend.user, backend.san_password)


def execute(*cmd, **kwargs):
    return processutils.execute(*cmd, **kwargs)


def connection_info(volume, auth_secret):
    data = {'volume_id': volume.id}
    if auth_secret:
        data['auth_password'] = auth_secret
    return {'driver_volume_type': 'iscsi', 'data': data}
";
    let driver = "\
from oslo_log import log as logging

from pkg import clients

LOG = logging.getLogger(__name__)


def names(config):
    client = clients.get_client(config, True)
    LOG.debug('names: %s', client.list_names())


def connect(backend):
    address, user, password = clients.connection_params(backend)
    LOG.debug('connecting to %s', address)
    LOG.debug('connecting as %s with %s', user, password)


def attach(volume, secret):
    info = clients.connection_info(volume, secret)
    LOG.info('attached %(volume_id)s', info['data'])
    LOG.info('attached with %s', info['data'])


def backup(config, path):
    out, err = clients.execute('dsmc', '-password=%s' % config.tsm_password, path)
    LOG.error('dsmc failed: %(out)s %(err)s', {'out': out, 'err': err})
";
    let dir = tree(&[
        ("pkg/__init__.py", ""),
        ("pkg/clients.py", clients),
        ("pkg/driver.py", driver),
        ("pkg/main.py", "from pkg import driver\n"),
    ]);
    let out = vigil(dir.path(), &["review", "--select", "T532", "--format", "json", "pkg"]);
    let (found, steps) = findings(&out);
    assert_eq!(
        found,
        vec![
            ("pkg/driver.py".to_string(), 16, "T532".to_string()),
            ("pkg/driver.py".to_string(), 22, "T532".to_string()),
        ],
        "{steps:?}"
    );
    assert_eq!(
        steps[1],
        vec![
            "19: `secret` is a secret",
            "20: returned by `clients.connection_info()`",
            "22: `LOG.info()` logs it",
        ]
    );
}
