//! Devices a person signs in from, named as people know them ("Chrome, Android"), from the
//! browser's User-Agent. A name is a hint for the person reading their sessions or a new-device
//! notice, never a proof: any browser can claim to be any other.

/// The browser and system a User-Agent names, each `None` when it names none we know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<&'static str>,
    pub system: Option<&'static str>,
}

impl Device {
    pub fn from_user_agent(ua: &str) -> Device {
        Device {
            browser: browser(ua),
            system: system(ua),
        }
    }

    /// "Chrome, Android"; `unknown` stands for a browser we cannot name.
    pub fn label(&self, unknown: &str) -> String {
        match (self.browser, self.system) {
            (Some(b), Some(s)) => format!("{b}, {s}"),
            (Some(b), None) => b.to_string(),
            (None, Some(s)) => format!("{unknown}, {s}"),
            (None, None) => unknown.to_string(),
        }
    }
}

fn browser(ua: &str) -> Option<&'static str> {
    // Most browsers also claim to be the ones they grew from ("Chrome … Safari"), so the more
    // particular names are looked for first.
    const NAMES: [(&str, &str); 11] = [
        ("EdgA/", "Edge"),
        ("EdgiOS/", "Edge"),
        ("Edg/", "Edge"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("OPR/", "Opera"),
        ("UCBrowser/", "UC Browser"),
        ("FxiOS/", "Firefox"),
        ("Firefox/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    NAMES
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map(|(_, name)| *name)
}

fn system(ua: &str) -> Option<&'static str> {
    const NAMES: [(&str, &str); 8] = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ];
    NAMES
        .iter()
        .find(|(token, _)| ua.contains(token))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::Device;

    fn label(ua: &str) -> String {
        Device::from_user_agent(ua).label("a browser")
    }

    #[test]
    fn common_phones_and_computers_are_named_as_people_know_them() {
        assert_eq!(label("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"), "Chrome, Android");
        assert_eq!(label("Mozilla/5.0 (Linux; Android 13; SM-A146B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"), "Samsung Internet, Android");
        assert_eq!(label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"), "Safari, iPhone");
        assert_eq!(label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1"), "Chrome, iPhone");
        assert_eq!(label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80"), "Edge, Windows");
        assert_eq!(label("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0"), "Firefox, macOS");
        assert_eq!(label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"), "Chrome, Linux");
        assert_eq!(label("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"), "Chrome, ChromeOS");
    }

    #[test]
    fn what_we_cannot_name_is_said_so() {
        assert_eq!(label(""), "a browser");
        assert_eq!(label("curl/8.5.0"), "a browser");
        assert_eq!(label("reqwest (Linux)"), "a browser, Linux");
    }
}
