//! Recognising pysnmp's high-level API, shared by S508 and S509.

/// Whether `qualname` is the class `class` of pysnmp's high-level API.
/// Bandit knows only `pysnmp.hlapi.<class>`; vigil also accepts the
/// submodules newer pysnmp releases document (`pysnmp.hlapi.asyncio`,
/// `pysnmp.hlapi.v3arch.asyncio`...).
pub fn is_hlapi(qualname: &str, class: &str) -> bool {
    qualname
        .strip_prefix("pysnmp.hlapi.")
        .and_then(|rest| rest.strip_suffix(class))
        .is_some_and(|module| module.is_empty() || module.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hlapi_classes() {
        assert!(is_hlapi("pysnmp.hlapi.CommunityData", "CommunityData"));
        assert!(is_hlapi("pysnmp.hlapi.v3arch.asyncio.CommunityData", "CommunityData"));
        assert!(!is_hlapi("pysnmp.hlapi.MyCommunityData", "CommunityData"));
        assert!(!is_hlapi("mylib.hlapi.CommunityData", "CommunityData"));
        assert!(!is_hlapi("pysnmp.hlapi.UsmUserData", "CommunityData"));
    }
}
