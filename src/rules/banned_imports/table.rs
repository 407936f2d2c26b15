//! The banned imports: one row per rule (Bandit's `bandit/blacklists/imports.py`).
//!
//! A row's names are module prefixes. An import is flagged when the name it
//! brings in starts with one of them, as plain text, exactly as Bandit
//! compares: `import xml.sax.saxutils` and `from xml import sax` (`xml.sax`)
//! match `xml.sax`, `import xmlrpclib` matches `xmlrpc`, `from . import
//! pickle` matches `pickle`, but `import xml` matches nothing. Calls match a
//! row too: `__import__("pickle")` and `importlib.import_module("pickle")` by
//! the module they load (same prefix rule), any other call when its qualified
//! name is exactly a row's name (`wsgiref.handlers.CGIHandler()`).
//!
//! To ban another module, add its name to the `names` of the row whose danger
//! it shares, keeping the list sorted (byte order: upper case before lower
//! case) and one name per line; a name must not start with a name of another
//! row. Imports take no `=> "replacement"`: a safe counterpart rarely has
//! all the names of a module (`defusedxml.ElementTree` has no `Element`), so
//! the docs say what to use instead. To add a rule, copy a row, give it the
//! next id, and list it in both `ROWS` and `RULES` at the end of this file.
//! `cargo test` checks all that.
//!
//! Bandit 1.9.4 no longer checks B410 (`lxml`) and B414 (PyCryptodome);
//! neither does vigil.

use crate::rules::Rule;
use crate::rules::banned_calls::blacklist::{Banned, banned};

banned! {
    static TELNETLIB = {
        id: "S401",
        name: "telnetlib-import",
        bandit: "B401",
        bandit_name: "import_telnetlib",
        family: BannedImports,
        cwe: 319,
        severity: High,
        what: "Flags imports of the Telnet client module:",
        names: [
            "telnetlib",
        ],
        message: "{name} speaks Telnet, which sends credentials and data in cleartext",
        why: "Telnet has no encryption and no server authentication: the login, the password and every \
              command cross the network in the clear and can be read or altered by anyone on the path. The \
              module was also removed from the standard library in Python 3.13.",
        example: "import telnetlib\n\nconn = telnetlib.Telnet(switch_ip)",
        use_instead: "import paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.connect(switch_ip, username=user, password=password)",
        fix: "Talk to the device over SSH (for example with `paramiko`) or another encrypted, authenticated protocol.",
        references: &["https://peps.python.org/pep-0594/#telnetlib"],
    }
}

banned! {
    static FTPLIB = {
        id: "S402",
        name: "ftplib-import",
        bandit: "B402",
        bandit_name: "import_ftplib",
        family: BannedImports,
        cwe: 319,
        severity: High,
        what: "Flags imports of the FTP client module:",
        names: [
            "ftplib",
        ],
        message: "{name} speaks FTP, which sends credentials and files in cleartext",
        why: "Plain FTP sends the user name, the password and the files unencrypted and unauthenticated, so \
              anyone on the network path can read the credentials or swap the file being transferred. \
              `ftplib.FTP_TLS` exists but must be chosen (and `prot_p()` called) explicitly.",
        example: "from ftplib import FTP\n\nftp = FTP(host)\nftp.login(user, password)",
        use_instead: "import ssl\nfrom ftplib import FTP_TLS\n\nftp = FTP_TLS(host, context=ssl.create_default_context())\n\
                      ftp.login(user, password)\nftp.prot_p()",
        fix: "Use SFTP/SCP over SSH, or make sure only `ftplib.FTP_TLS` with `prot_p()` is used.",
        references: &["https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS"],
    }
}

banned! {
    static PICKLE = {
        id: "S403",
        name: "pickle-import",
        bandit: "B403",
        bandit_name: "import_pickle",
        family: BannedImports,
        cwe: 502,
        severity: Low,
        status: Opt,
        what: "Flags imports of the modules that deserialize pickles:",
        names: [
            "cPickle",
            "dill",
            "pickle",
            "shelve",
        ],
        message: "{name} deserializes pickles, which can run arbitrary code",
        why: "Unpickling runs whatever the pickle's `__reduce__` opcodes say, so any bytes an attacker can \
              write (a message on the RPC bus, a cache entry, a file on shared storage) that reach a load \
              call execute code in the service. The import itself is harmless; it marks code whose loads \
              must be reviewed.",
        example: "import pickle\n\ndef load_state(path):\n    with open(path, 'rb') as f:\n        return pickle.load(f)",
        use_instead: "from oslo_serialization import jsonutils\n\ndef load_state(path):\n    with open(path) as f:\n        return jsonutils.load(f)",
        fix: "Serialize with JSON (`oslo_serialization.jsonutils`) or versioned objects; keep pickle for data only this process writes.",
        references: &["https://docs.python.org/3/library/pickle.html"],
    }
}

banned! {
    static SUBPROCESS = {
        id: "S404",
        name: "subprocess-import",
        bandit: "B404",
        bandit_name: "import_subprocess",
        family: BannedImports,
        cwe: 78,
        severity: Low,
        status: Opt,
        what: "Flags imports of the module that runs external commands:",
        names: [
            "subprocess",
        ],
        message: "{name} runs external commands, so its calls risk command injection",
        why: "Every `subprocess` call builds a command line; when part of it comes from a request (an \
              instance name, a volume path, an image property), a shell or an option-parsing program can \
              be made to run something else. The import itself is harmless; it marks code whose calls must \
              be reviewed (the S6xx rules check the calls themselves).",
        example: "import subprocess\n\nsubprocess.check_call('qemu-img info %s' % path, shell=True)",
        use_instead: "from oslo_concurrency import processutils\n\nprocessutils.execute('qemu-img', 'info', path)",
        fix: "Run commands through `oslo_concurrency.processutils.execute` (or privsep) with an argument list, never a shell string.",
        references: &["https://docs.python.org/3/library/subprocess.html#security-considerations"],
    }
}

banned! {
    static XML_ETREE = {
        id: "S405",
        name: "xml-etree-import",
        bandit: "B405",
        bandit_name: "import_xml_etree",
        family: BannedImports,
        cwe: 20,
        severity: Low,
        status: Opt,
        what: "Flags imports of the standard library's ElementTree modules:",
        names: [
            "xml.etree.ElementTree",
            "xml.etree.cElementTree",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.etree import ElementTree as ET\n\ntree = ET.fromstring(xml_desc)",
        use_instead: "from defusedxml import ElementTree as ET\n\ntree = ET.fromstring(xml_desc)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_SAX = {
        id: "S406",
        name: "xml-sax-import",
        bandit: "B406",
        bandit_name: "import_xml_sax",
        family: BannedImports,
        cwe: 20,
        severity: Low,
        status: Opt,
        what: "Flags imports of the standard library's SAX parser package:",
        names: [
            "xml.sax",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "import xml.sax\n\nxml.sax.parseString(body, handler)",
        use_instead: "import defusedxml.sax\n\ndefusedxml.sax.parseString(body, handler)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_EXPAT = {
        id: "S407",
        name: "xml-expat-import",
        bandit: "B407",
        bandit_name: "import_xml_expat",
        family: BannedImports,
        cwe: 20,
        severity: Low,
        what: "Flags imports of the standard library's DOM builder on expat:",
        names: [
            "xml.dom.expatbuilder",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.dom import expatbuilder\n\ndoc = expatbuilder.parseString(body)",
        use_instead: "from defusedxml import expatbuilder\n\ndoc = expatbuilder.parseString(body)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_MINIDOM = {
        id: "S408",
        name: "xml-minidom-import",
        bandit: "B408",
        bandit_name: "import_xml_minidom",
        family: BannedImports,
        cwe: 20,
        severity: Low,
        status: Opt,
        what: "Flags imports of the standard library's `minidom`:",
        names: [
            "xml.dom.minidom",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.dom import minidom\n\ndoc = minidom.parseString(xml_desc)",
        use_instead: "from defusedxml import minidom\n\ndoc = minidom.parseString(xml_desc)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_PULLDOM = {
        id: "S409",
        name: "xml-pulldom-import",
        bandit: "B409",
        bandit_name: "import_xml_pulldom",
        family: BannedImports,
        cwe: 20,
        severity: Low,
        what: "Flags imports of the standard library's `pulldom`:",
        names: [
            "xml.dom.pulldom",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.dom import pulldom\n\nevents = pulldom.parseString(body)",
        use_instead: "from defusedxml import pulldom\n\nevents = pulldom.parseString(body)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XMLRPC = {
        id: "S411",
        name: "xmlrpc-import",
        bandit: "B411",
        bandit_name: "import_xmlrpclib",
        family: BannedImports,
        cwe: 20,
        severity: High,
        what: "Flags imports of the XML-RPC modules (Python 3's `xmlrpc` package and Python 2's `xmlrpclib`):",
        names: [
            "xmlrpc",
        ],
        message: "{name} parses XML-RPC without protection against entity expansion attacks",
        why: "XML-RPC clients and servers parse XML sent by the other side with the standard library's \
              expat parser: a small payload of nested entities (\"billion laughs\") or a decompression bomb \
              exhausts the memory of the service.",
        example: "from xmlrpc.server import SimpleXMLRPCServer\n\nserver = SimpleXMLRPCServer(('0.0.0.0', 8000))",
        use_instead: "import defusedxml.xmlrpc\nfrom xmlrpc.server import SimpleXMLRPCServer  # vigil: ignore[S411] patched below\n\n\
                      defusedxml.xmlrpc.monkey_patch()\nserver = SimpleXMLRPCServer(('127.0.0.1', 8000))",
        fix: "Call `defusedxml.xmlrpc.monkey_patch()` before using `xmlrpc`, or replace XML-RPC with a JSON API.",
        references: &["https://pypi.org/project/defusedxml/#defusedxml-xmlrpc"],
    }
}

banned! {
    static HTTPOXY = {
        id: "S412",
        name: "httpoxy-cgi-handler",
        bandit: "B412",
        bandit_name: "import_httpoxy",
        family: BannedImports,
        cwe: 284,
        severity: High,
        what: "Flags imports and uses of CGI handlers exposed to httpoxy:",
        names: [
            "twisted.web.twcgi.CGIDirectory",
            "twisted.web.twcgi.CGIScript",
            "wsgiref.handlers.CGIHandler",
        ],
        message: "{name} runs CGI, where a request's `Proxy` header sets `HTTP_PROXY` (httpoxy)",
        why: "Under CGI, request headers become environment variables, so a client's `Proxy:` header becomes \
              `HTTP_PROXY`, which `requests` and `urllib` read as the proxy for outgoing calls: the \
              attacker receives the service's outgoing HTTP traffic, tokens included.",
        example: "import wsgiref.handlers\n\nwsgiref.handlers.CGIHandler().run(application)",
        use_instead: "from oslo_service import wsgi\n\nserver = wsgi.Server(CONF, 'api', application)\nserver.start()",
        fix: "Serve the application with a WSGI server (uWSGI, mod_wsgi, oslo.service) rather than CGI, or strip the `Proxy` header before the handler.",
        references: &["https://httpoxy.org/"],
    }
}

banned! {
    static PYCRYPTO = {
        id: "S413",
        name: "pycrypto-import",
        bandit: "B413",
        bandit_name: "import_pycrypto",
        family: BannedImports,
        cwe: 327,
        severity: High,
        what: "Flags imports of the unmaintained PyCrypto library:",
        names: [
            "Crypto.Cipher",
            "Crypto.Hash",
            "Crypto.IO",
            "Crypto.Protocol",
            "Crypto.PublicKey",
            "Crypto.Random",
            "Crypto.Signature",
            "Crypto.Util",
        ],
        message: "{name} is PyCrypto's namespace, a library unmaintained since 2013",
        why: "PyCrypto has had no release since 2013 and carries unfixed vulnerabilities (such as the \
              heap overflow CVE-2013-7459 in its AES code), so whatever it encrypts, signs or generates keys \
              for rests on code nobody patches. PyCryptodome, which is maintained, installs under the same \
              `Crypto` name: if the project requires `pycryptodome` and not `pycrypto`, the import is fine, \
              and importing from `Cryptodome` (`pycryptodomex`) says so unambiguously.",
        example: "from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_CBC, iv)",
        use_instead: "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)",
        fix: "Move to the `cryptography` library (pyca), which OpenStack already depends on, or at least to PyCryptodome imported as `Cryptodome`.",
        references: &["https://cryptography.io/", "https://nvd.nist.gov/vuln/detail/CVE-2013-7459"],
    }
}

banned! {
    static PYGHMI = {
        id: "S415",
        name: "pyghmi-import",
        bandit: "B415",
        bandit_name: "import_pyghmi",
        family: BannedImports,
        cwe: 319,
        severity: High,
        what: "Flags imports of the IPMI library:",
        names: [
            "pyghmi",
        ],
        message: "{name} speaks IPMI, whose authentication leaks password hashes",
        why: "IPMI 2.0's RAKP handshake sends a salted hash of the user's password to anyone who asks, \
              which can be cracked offline, and many BMCs accept weak cipher suites (including cipher 0, \
              no authentication): IPMI credentials and the power control of the machine are exposed to the \
              management network.",
        example: "from pyghmi.ipmi import command\n\nipmicmd = command.Command(bmc=address, userid=user, password=password)",
        use_instead: "import sushy\n\nclient = sushy.Sushy('https://%s/redfish/v1' % address, username=user, password=password)",
        fix: "Manage the BMC over Redfish (HTTPS, for example with `sushy`), and keep IPMI on an isolated network if it must stay.",
        references: &["https://docs.openstack.org/ironic/latest/admin/drivers/redfish.html"],
    }
}

const XML_WHY: &str = "The standard library's XML parsers expand entities: a few hundred bytes of nested \
     entity definitions (\"billion laughs\") expand to gigabytes and exhaust the memory of the service. The \
     import itself is harmless (building and writing XML is fine); it marks code whose parsing of outside XML \
     must go through `defusedxml`.";

const XML_FIX: &str =
    "Parse outside XML with the `defusedxml` equivalent, or call `defusedxml.defuse_stdlib()` at start-up.";

const XML_REFERENCES: &[&str] = &[
    "https://pypi.org/project/defusedxml/",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities",
];

/// Every row, in id order. For an import statement that brings in several
/// banned modules, the first name in the statement names the finding.
pub static ROWS: &[&Banned] = &[
    &TELNETLIB,
    &FTPLIB,
    &PICKLE,
    &SUBPROCESS,
    &XML_ETREE,
    &XML_SAX,
    &XML_EXPAT,
    &XML_MINIDOM,
    &XML_PULLDOM,
    &XMLRPC,
    &HTTPOXY,
    &PYCRYPTO,
    &PYGHMI,
];

/// The rules of [`ROWS`], in the same order.
pub static RULES: &[&Rule] = &[
    &TELNETLIB.rule,
    &FTPLIB.rule,
    &PICKLE.rule,
    &SUBPROCESS.rule,
    &XML_ETREE.rule,
    &XML_SAX.rule,
    &XML_EXPAT.rule,
    &XML_MINIDOM.rule,
    &XML_PULLDOM.rule,
    &XMLRPC.rule,
    &HTTPOXY.rule,
    &PYCRYPTO.rule,
    &PYGHMI.rule,
];

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_well_formed() {
        crate::rules::banned_calls::blacklist::check_table(super::ROWS, super::RULES);
        for row in super::ROWS {
            assert!(
                row.names.iter().all(|e| e.instead.is_none()),
                "{}: imports take no replacement",
                row.rule.id
            );
        }
    }
}
