//! The banned calls: one row per rule (Bandit's `bandit/blacklists/calls.py`).
//!
//! A call is flagged when its qualified name, with import aliases resolved
//! (`from pickle import loads as lp; lp(x)` is `pickle.loads`), is exactly
//! one of a row's names.
//!
//! To ban another call, add its qualified name to the `names` of the row
//! whose danger it shares, keeping the list sorted (byte order: upper case
//! before lower case) and one name per line; follow it with
//! `=> "replacement"` if a safe function takes the same arguments. To add a
//! rule, copy a row, give it the next id, and list it in both `ROWS` and
//! `RULES` at the end of this file. `cargo test` checks the order, that no
//! name is in two rows, and that the generated `what` doc names every call.
//!
//! Bandit 1.9.4 no longer checks B309 (`HTTPSConnection`), B320 (`lxml`),
//! B322 (`input`) and B325 (`os.tempnam`); neither does vigil.

use super::blacklist::{Banned, banned};
use crate::rules::Rule;

banned! {
    static PICKLE = {
        id: "S301",
        name: "pickle-load",
        bandit: "B301",
        bandit_name: "pickle",
        family: BannedCalls,
        cwe: 502,
        severity: Medium,
        status: Opt,
        what: "Flags calls that unpickle data:",
        names: [
            "dill.Unpickler",
            "dill.load",
            "dill.loads",
            "jsonpickle.decode",
            "jsonpickle.unpickler.Unpickler",
            "jsonpickle.unpickler.decode",
            "pandas.read_pickle",
            "pickle.Unpickler",
            "pickle.load",
            "pickle.loads",
            "shelve.DbfilenameShelf",
            "shelve.open",
        ],
        message: "{name} unpickles {arg}, which can run arbitrary code",
        why: "A pickle is a program for the unpickler: its `__reduce__` opcodes call any importable function \
              with any arguments, so whoever can write the bytes (a message on the RPC bus, a cached blob in \
              memcached, a file on shared storage, an image property) runs code as the service loading them. \
              `shelve`, `dill`, `jsonpickle` and `pandas.read_pickle` are pickle underneath.",
        example: "import pickle\n\ndef load_cached_topology(cache, key):\n    return pickle.loads(cache.get(key))",
        use_instead: "from oslo_serialization import jsonutils\n\ndef load_cached_topology(cache, key):\n    return jsonutils.loads(cache.get(key))",
        fix: "Serialize with JSON (`oslo_serialization.jsonutils`) or versioned objects, and unpickle only bytes this process wrote and nobody else can modify.",
        references: &["https://docs.python.org/3/library/pickle.html#restricting-globals"],
    }
}

banned! {
    static MARSHAL = {
        id: "S302",
        name: "marshal-load",
        bandit: "B302",
        bandit_name: "marshal",
        family: BannedCalls,
        cwe: 502,
        severity: Medium,
        what: "Flags calls that deserialize `marshal` data:",
        names: [
            "marshal.load",
            "marshal.loads",
        ],
        message: "{name} deserializes marshal data, which is unsafe on untrusted input",
        why: "The `marshal` format is an interpreter-internal format for `.pyc` files: it can build code \
              objects, is not guaranteed stable across Python versions, and its loader is documented as not \
              secure against erroneous or maliciously constructed data.",
        example: "import marshal\n\ndef decode_metadata(blob):\n    return marshal.loads(blob)",
        use_instead: "from oslo_serialization import jsonutils\n\ndef decode_metadata(blob):\n    return jsonutils.loads(blob)",
        fix: "Use JSON (`oslo_serialization.jsonutils`) for data that crosses a trust boundary.",
        references: &["https://docs.python.org/3/library/marshal.html"],
    }
}

banned! {
    static WEAK_HASH = {
        id: "S303",
        name: "weak-hash-md5-sha1",
        bandit: "B303",
        bandit_name: "md5",
        family: BannedCalls,
        cwe: 327,
        severity: Medium,
        what: "Flags the MD2, MD4, MD5 and SHA-1 constructors of PyCrypto, PyCryptodome and `cryptography` \
               (not a hash given to a certificate's `fingerprint()`, which names the certificate and checks \
               nothing):",
        names: [
            "Crypto.Hash.MD2.new",
            "Crypto.Hash.MD4.new",
            "Crypto.Hash.MD5.new",
            "Crypto.Hash.SHA.new",
            "Cryptodome.Hash.MD2.new",
            "Cryptodome.Hash.MD4.new",
            "Cryptodome.Hash.MD5.new",
            "Cryptodome.Hash.SHA.new",
            "cryptography.hazmat.primitives.hashes.MD5" => "cryptography.hazmat.primitives.hashes.SHA256",
            "cryptography.hazmat.primitives.hashes.SHA1" => "cryptography.hazmat.primitives.hashes.SHA256",
        ],
        message: "{name} computes an MD2/MD4/MD5/SHA-1 hash, which is broken for security use",
        why: "Collisions for MD5 and SHA-1 can be computed cheaply (MD2 and MD4 are worse), so a signature, \
              an integrity check or a content-addressed key built on them lets an attacker substitute a \
              different image, config drive or token that hashes the same.",
        example: "from cryptography.hazmat.primitives import hashes\n\ndigest = hashes.Hash(hashes.MD5())",
        use_instead: "from cryptography.hazmat.primitives import hashes\n\ndigest = hashes.Hash(hashes.SHA256())",
        fix: "Use SHA-256 or stronger (`hashes.SHA256()`, `Crypto.Hash.SHA256`); these libraries have no \
              `usedforsecurity` flag, so a digest that protects nothing (a fingerprint shown to people, a cache key) \
              is worth moving too, or saying in a comment that nothing trusts it.",
        references: &["https://cryptography.io/en/latest/hazmat/primitives/cryptographic-hashes/"],
    }
}

banned! {
    static WEAK_CIPHER = {
        id: "S304",
        name: "weak-cipher",
        bandit: "B304",
        bandit_name: "ciphers",
        family: BannedCalls,
        cwe: 327,
        severity: High,
        what: "Flags broken or weak ciphers (ARC2, ARC4, Blowfish, CAST5, DES, IDEA, SEED, TripleDES, XOR):",
        names: [
            "Crypto.Cipher.ARC2.new",
            "Crypto.Cipher.ARC4.new",
            "Crypto.Cipher.Blowfish.new",
            "Crypto.Cipher.DES.new",
            "Crypto.Cipher.XOR.new",
            "Cryptodome.Cipher.ARC2.new",
            "Cryptodome.Cipher.ARC4.new",
            "Cryptodome.Cipher.Blowfish.new",
            "Cryptodome.Cipher.DES.new",
            "Cryptodome.Cipher.XOR.new",
            "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
            "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
            "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
            "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
            "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
            "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
        ],
        message: "{name} encrypts with a broken or weak cipher",
        why: "These ciphers have small keys (DES), small 64-bit blocks that leak plaintext after a few \
              gigabytes under one key (Blowfish, CAST5, IDEA, TripleDES: the Sweet32 attack), biased \
              keystreams (ARC4) or no security at all (XOR), so data they protect (volume keys, stored \
              credentials, console tokens) can be recovered.",
        example: "from Crypto.Cipher import DES\n\ncipher = DES.new(key, DES.MODE_CBC, iv)",
        use_instead: "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)",
        fix: "Encrypt with AES (preferably an AEAD mode such as AES-GCM) from the `cryptography` library.",
        references: &["https://sweet32.info/", "https://cryptography.io/en/latest/hazmat/primitives/aead/"],
    }
}

banned! {
    static ECB_MODE = {
        id: "S305",
        name: "ecb-cipher-mode",
        bandit: "B305",
        bandit_name: "cipher_modes",
        family: BannedCalls,
        cwe: 327,
        severity: Medium,
        what: "Flags the ECB block cipher mode:",
        names: [
            "cryptography.hazmat.primitives.ciphers.modes.ECB",
        ],
        message: "{name} encrypts in ECB mode, which shows which plaintext blocks are equal",
        why: "ECB encrypts each block independently, so equal plaintext blocks give equal ciphertext blocks: \
              the structure of the data shows through, blocks can be reordered or replayed undetected, and an \
              attacker who can submit plaintext can decrypt by comparison.",
        example: "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\
                  cipher = Cipher(algorithms.AES(key), modes.ECB())",
        use_instead: "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)",
        fix: "Use an authenticated mode (AES-GCM via `AESGCM`), or CTR/CBC with a random IV plus a MAC.",
        references: &["https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB"],
    }
}

banned! {
    static MKTEMP = {
        id: "S306",
        name: "tempfile-mktemp",
        bandit: "B306",
        bandit_name: "mktemp_q",
        family: BannedCalls,
        cwe: 377,
        severity: Medium,
        what: "Flags the deprecated, race-prone temporary file name function:",
        names: [
            "tempfile.mktemp",
        ],
        message: "{name} returns a file name that another process can create first",
        why: "`mktemp` only picks a name that does not exist yet; between that and the moment the caller \
              opens it, a local attacker can create the file or a symlink there, making the service (often \
              running as root, like nova-compute) write to or read from a file of the attacker's choosing.",
        example: "import tempfile\n\npath = tempfile.mktemp(suffix='.xml')\nwith open(path, 'w') as f:\n    f.write(domain_xml)",
        use_instead: "import tempfile\n\nwith tempfile.NamedTemporaryFile('w', suffix='.xml') as f:\n    f.write(domain_xml)",
        fix: "Use `tempfile.mkstemp()`, `tempfile.NamedTemporaryFile()` or `tempfile.TemporaryDirectory()`, which create the file atomically.",
        references: &["https://docs.python.org/3/library/tempfile.html#tempfile.mktemp"],
    }
}

banned! {
    static EVAL = {
        id: "S307",
        name: "eval-call",
        bandit: "B307",
        bandit_name: "eval",
        family: BannedCalls,
        cwe: 78,
        severity: Medium,
        what: "Flags calls to the built-in",
        names: [
            "eval",
        ],
        message: "{name} runs {arg} as Python code",
        why: "`eval` executes any Python expression, and expressions can import modules, call functions and \
              read files, so a string that reaches it from an API request, a flavor extra spec or a config \
              option gives its author code execution in the service.",
        example: "def parse_limit(value):\n    return eval(value)",
        use_instead: "import ast\n\ndef parse_limit(value):\n    return ast.literal_eval(value)",
        fix: "Parse literals with `ast.literal_eval` (or `int()`, `json.loads`), and map names to functions with a dict instead of evaluating them.",
        references: &["https://docs.python.org/3/library/ast.html#ast.literal_eval"],
    }
}

banned! {
    static MARK_SAFE = {
        id: "S308",
        name: "mark-safe-call",
        bandit: "B308",
        bandit_name: "mark_safe",
        family: BannedCalls,
        cwe: 79,
        severity: Medium,
        what: "Flags every call that turns off Django's HTML escaping:",
        names: [
            "django.utils.safestring.mark_safe",
        ],
        message: "{name} marks a string as safe HTML, bypassing Django's autoescaping",
        why: "Django escapes every value rendered in a template unless it is marked safe; if any part of the \
              marked string comes from a user (an instance name, a project description, an error message), \
              it is rendered as HTML and its scripts run in the browser of whoever views the page, for \
              example a cloud administrator in Horizon.",
        example: "from django.utils.safestring import mark_safe\n\ndef instance_link(instance):\n    \
                  return mark_safe('<a href=\"%s\">%s</a>' % (instance.url, instance.name))",
        use_instead: "from django.utils.html import format_html\n\ndef instance_link(instance):\n    \
                      return format_html('<a href=\"{}\">{}</a>', instance.url, instance.name)",
        fix: "Build HTML with `django.utils.html.format_html` (which escapes its arguments) and keep `mark_safe` for constant strings.",
        references: &["https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe"],
    }
}

banned! {
    static URLOPEN = {
        id: "S310",
        name: "urlopen-any-scheme",
        bandit: "B310",
        bandit_name: "urllib_urlopen",
        family: BannedCalls,
        cwe: 22,
        severity: Medium,
        status: Opt,
        what: "Flags the `urllib` openers, which accept `file:` and other schemes besides HTTP:",
        names: [
            "six.moves.urllib.request.FancyURLopener",
            "six.moves.urllib.request.URLopener",
            "six.moves.urllib.request.urlopen",
            "six.moves.urllib.request.urlretrieve",
            "urllib.request.FancyURLopener",
            "urllib.request.URLopener",
            "urllib.request.urlopen",
            "urllib.request.urlretrieve",
        ],
        message: "{name} opens any URL scheme it is given, including `file://`",
        why: "These functions open `file:` and `ftp:` URLs as readily as `http(s):` ones, so a URL taken from \
              a user (an image location, a webhook, a metadata source) can make the service read \
              `file:///etc/nova/nova.conf` and hand its contents back, or reach internal hosts.",
        example: "import urllib.request\n\ndef fetch_image(url):\n    return urllib.request.urlopen(url).read()",
        use_instead: "import requests\n\ndef fetch_image(url):\n    # requests only speaks http(s): file:// raises InvalidSchema\n    return requests.get(url, timeout=30).content",
        fix: "Check the URL's scheme against an allow-list (`http`, `https`) before opening it, or use `requests`, which only speaks HTTP.",
        references: &["https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen"],
    }
}

banned! {
    static RANDOM = {
        id: "S311",
        name: "non-cryptographic-random",
        bandit: "B311",
        bandit_name: "random",
        family: BannedCalls,
        cwe: 330,
        severity: Low,
        status: Opt,
        what: "Flags the pseudo-random functions of the `random` module:",
        names: [
            "random.Random" => "random.SystemRandom",
            "random.choice" => "secrets.choice",
            "random.choices" => "secrets.SystemRandom().choices",
            "random.getrandbits" => "secrets.randbits",
            "random.randbytes" => "secrets.token_bytes",
            "random.randint" => "secrets.SystemRandom().randint",
            "random.random" => "secrets.SystemRandom().random",
            "random.randrange" => "secrets.SystemRandom().randrange",
            "random.sample" => "secrets.SystemRandom().sample",
            "random.triangular" => "secrets.SystemRandom().triangular",
            "random.uniform" => "secrets.SystemRandom().uniform",
        ],
        message: "{name} is a predictable pseudo-random generator",
        why: "The `random` module is a Mersenne Twister: after observing 624 outputs an attacker can compute \
              every past and future value, so passwords, tokens, salts or nonces drawn from it (an admin \
              password for a rescued instance, a console token) can be predicted.",
        example: "import random\nimport string\n\ndef generate_password(length=20):\n    \
                  return ''.join(random.choice(string.ascii_letters) for _ in range(length))",
        use_instead: "import secrets\nimport string\n\ndef generate_password(length=20):\n    \
                      return ''.join(secrets.choice(string.ascii_letters) for _ in range(length))",
        fix: "Use the `secrets` module (or `random.SystemRandom`) for anything an attacker must not guess; plain `random` is fine for jitter and sampling.",
        references: &["https://docs.python.org/3/library/secrets.html"],
    }
}

banned! {
    static TELNET = {
        id: "S312",
        name: "telnet-client",
        bandit: "B312",
        bandit_name: "telnetlib",
        family: BannedCalls,
        cwe: 319,
        severity: High,
        what: "Flags Telnet connections:",
        names: [
            "telnetlib.Telnet",
        ],
        message: "{name} opens a Telnet session, which sends everything in cleartext",
        why: "Telnet has no encryption and no server authentication: the login, the password and every \
              command cross the network in the clear and can be read or altered by anyone on the path, such \
              as on a shared management network to switches or BMCs.",
        example: "import telnetlib\n\nconn = telnetlib.Telnet(switch_ip)\nconn.write(password.encode() + b'\\n')",
        use_instead: "import paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.connect(switch_ip, username=user, password=password)",
        fix: "Connect over SSH (for example with `paramiko`) or another encrypted, authenticated protocol.",
        references: &["https://peps.python.org/pep-0594/#telnetlib"],
    }
}

banned! {
    static XML_CELEMENTTREE = {
        id: "S313",
        name: "xml-celementtree-parse",
        bandit: "B313",
        bandit_name: "xml_bad_cElementTree",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        status: Opt,
        what: "Flags XML parsing with the standard library's `cElementTree`:",
        names: [
            "xml.etree.cElementTree.XMLParser" => "defusedxml.ElementTree.XMLParser",
            "xml.etree.cElementTree.fromstring" => "defusedxml.ElementTree.fromstring",
            "xml.etree.cElementTree.iterparse" => "defusedxml.ElementTree.iterparse",
            "xml.etree.cElementTree.parse" => "defusedxml.ElementTree.parse",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "import xml.etree.cElementTree as ET\n\ndef parse_domain(xml_desc):\n    return ET.fromstring(xml_desc)",
        use_instead: "from defusedxml import ElementTree as ET\n\ndef parse_domain(xml_desc):\n    return ET.fromstring(xml_desc)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_ELEMENTTREE = {
        id: "S314",
        name: "xml-elementtree-parse",
        bandit: "B314",
        bandit_name: "xml_bad_ElementTree",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        status: Opt,
        what: "Flags XML parsing with the standard library's `ElementTree`:",
        names: [
            "xml.etree.ElementTree.XMLParser" => "defusedxml.ElementTree.XMLParser",
            "xml.etree.ElementTree.fromstring" => "defusedxml.ElementTree.fromstring",
            "xml.etree.ElementTree.iterparse" => "defusedxml.ElementTree.iterparse",
            "xml.etree.ElementTree.parse" => "defusedxml.ElementTree.parse",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.etree import ElementTree\n\ndef parse_domain(xml_desc):\n    return ElementTree.fromstring(xml_desc)",
        use_instead: "from defusedxml import ElementTree\n\ndef parse_domain(xml_desc):\n    return ElementTree.fromstring(xml_desc)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_EXPATREADER = {
        id: "S315",
        name: "xml-expatreader-parser",
        bandit: "B315",
        bandit_name: "xml_bad_expatreader",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        what: "Flags SAX parsers created from the standard library's `expatreader`:",
        names: [
            "xml.sax.expatreader.create_parser" => "defusedxml.expatreader.create_parser",
        ],
        message: "{name} creates an XML parser without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.sax import expatreader\n\nparser = expatreader.create_parser()\nparser.parse(stream)",
        use_instead: "from defusedxml import expatreader\n\nparser = expatreader.create_parser()\nparser.parse(stream)",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_EXPATBUILDER = {
        id: "S316",
        name: "xml-expatbuilder-parse",
        bandit: "B316",
        bandit_name: "xml_bad_expatbuilder",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        what: "Flags XML parsing with the standard library's `expatbuilder`:",
        names: [
            "xml.dom.expatbuilder.parse" => "defusedxml.expatbuilder.parse",
            "xml.dom.expatbuilder.parseString" => "defusedxml.expatbuilder.parseString",
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
    static XML_SAX = {
        id: "S317",
        name: "xml-sax-parse",
        bandit: "B317",
        bandit_name: "xml_bad_sax",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        what: "Flags XML parsing with the standard library's `xml.sax`:",
        names: [
            "xml.sax.make_parser" => "defusedxml.sax.make_parser",
            "xml.sax.parse" => "defusedxml.sax.parse",
            "xml.sax.parseString" => "defusedxml.sax.parseString",
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
    static XML_MINIDOM = {
        id: "S318",
        name: "xml-minidom-parse",
        bandit: "B318",
        bandit_name: "xml_bad_minidom",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        status: Opt,
        what: "Flags XML parsing with the standard library's `minidom`:",
        names: [
            "xml.dom.minidom.parse" => "defusedxml.minidom.parse",
            "xml.dom.minidom.parseString" => "defusedxml.minidom.parseString",
        ],
        message: "{name} parses XML without protection against entity expansion attacks",
        why: XML_WHY,
        example: "from xml.dom import minidom\n\ndef get_disks(xml_desc):\n    return minidom.parseString(xml_desc).getElementsByTagName('disk')",
        use_instead: "from defusedxml import minidom\n\ndef get_disks(xml_desc):\n    return minidom.parseString(xml_desc).getElementsByTagName('disk')",
        fix: XML_FIX,
        references: XML_REFERENCES,
    }
}

banned! {
    static XML_PULLDOM = {
        id: "S319",
        name: "xml-pulldom-parse",
        bandit: "B319",
        bandit_name: "xml_bad_pulldom",
        family: BannedCalls,
        cwe: 20,
        severity: Medium,
        what: "Flags XML parsing with the standard library's `pulldom`:",
        names: [
            "xml.dom.pulldom.parse" => "defusedxml.pulldom.parse",
            "xml.dom.pulldom.parseString" => "defusedxml.pulldom.parseString",
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
    static FTP = {
        id: "S321",
        name: "ftp-client",
        bandit: "B321",
        bandit_name: "ftplib",
        family: BannedCalls,
        cwe: 319,
        severity: High,
        what: "Flags unencrypted FTP connections:",
        names: [
            "ftplib.FTP" => "ftplib.FTP_TLS",
        ],
        message: "{name} opens an FTP session, which sends everything in cleartext",
        why: "Plain FTP sends the user name, the password and the files unencrypted and unauthenticated, so \
              anyone on the network path can read the credentials or swap the file being transferred (an \
              image, a backup, a firmware).",
        example: "import ftplib\n\nftp = ftplib.FTP(host)\nftp.login(user, password)",
        use_instead: "import ftplib\nimport ssl\n\nftp = ftplib.FTP_TLS(host, context=ssl.create_default_context())\n\
                      ftp.login(user, password)\nftp.prot_p()",
        fix: "Use `ftplib.FTP_TLS` (and call `prot_p()`), or SFTP/SCP over SSH.",
        references: &["https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS"],
    }
}

banned! {
    static UNVERIFIED_CONTEXT = {
        id: "S323",
        name: "ssl-unverified-context",
        bandit: "B323",
        bandit_name: "unverified_context",
        family: BannedCalls,
        cwe: 295,
        severity: Medium,
        what: "Flags SSL contexts that skip certificate and host name verification:",
        names: [
            "ssl._create_unverified_context" => "ssl.create_default_context",
        ],
        message: "{name} creates an SSL context that accepts any certificate",
        why: "A context that verifies neither the certificate chain nor the host name makes TLS trust whoever \
              answers: an attacker on the path (between nova-compute and a vCenter, or a service and \
              Keystone) presents any certificate and reads or changes the traffic, credentials included.",
        example: "import ssl\n\ncontext = ssl._create_unverified_context()\nconn = http.client.HTTPSConnection(host, context=context)",
        use_instead: "import ssl\n\ncontext = ssl.create_default_context(cafile=CONF.vmware.ca_file)\nconn = http.client.HTTPSConnection(host, context=context)",
        fix: "Use `ssl.create_default_context()` and point it at the right CA bundle (`cafile=`) instead of disabling verification.",
        references: &["https://peps.python.org/pep-0476/"],
    }
}

const XML_WHY: &str = "The standard library's XML parsers expand entities: a few hundred bytes of nested \
     entity definitions (\"billion laughs\") expand to gigabytes and exhaust the memory of the service, and \
     some parsers also fetch external entities or DTDs. Any XML from outside the process (an API body, an \
     OVF or image metadata, a hypervisor response) can carry such a payload.";

const XML_FIX: &str =
    "Parse with the `defusedxml` equivalent of the function, or call `defusedxml.defuse_stdlib()` at start-up.";

const XML_REFERENCES: &[&str] = &[
    "https://pypi.org/project/defusedxml/",
    "https://docs.python.org/3/library/xml.html#xml-vulnerabilities",
];

/// Every row, in id order.
pub static ROWS: &[&Banned] = &[
    &PICKLE,
    &MARSHAL,
    &WEAK_HASH,
    &WEAK_CIPHER,
    &ECB_MODE,
    &MKTEMP,
    &EVAL,
    &MARK_SAFE,
    &URLOPEN,
    &RANDOM,
    &TELNET,
    &XML_CELEMENTTREE,
    &XML_ELEMENTTREE,
    &XML_EXPATREADER,
    &XML_EXPATBUILDER,
    &XML_SAX,
    &XML_MINIDOM,
    &XML_PULLDOM,
    &FTP,
    &UNVERIFIED_CONTEXT,
];

/// The rules of [`ROWS`], in the same order.
pub static RULES: &[&Rule] = &[
    &PICKLE.rule,
    &MARSHAL.rule,
    &WEAK_HASH.rule,
    &WEAK_CIPHER.rule,
    &ECB_MODE.rule,
    &MKTEMP.rule,
    &EVAL.rule,
    &MARK_SAFE.rule,
    &URLOPEN.rule,
    &RANDOM.rule,
    &TELNET.rule,
    &XML_CELEMENTTREE.rule,
    &XML_ELEMENTTREE.rule,
    &XML_EXPATREADER.rule,
    &XML_EXPATBUILDER.rule,
    &XML_SAX.rule,
    &XML_MINIDOM.rule,
    &XML_PULLDOM.rule,
    &FTP.rule,
    &UNVERIFIED_CONTEXT.rule,
];

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_well_formed() {
        super::super::blacklist::check_table(super::ROWS, super::RULES);
    }
}
