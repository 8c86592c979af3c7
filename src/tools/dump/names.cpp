#include "tools/dump/names.hpp"

#include <net/if.h>
#include <netdb.h>
#include <netinet/ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace synack::dump {

Names::Names(bool numeric) : numeric_(numeric) {
    if (numeric_) return;
    // tcpdump addrtoname.c init_servarray: every tcp and udp entry, in file order; the first for a port wins.
    setservent(0);
    while (const servent* sv = getservent()) {
        const auto port = ntohs(static_cast<std::uint16_t>(sv->s_port));
        std::vector<std::string>* table = nullptr;
        if (std::strcmp(sv->s_proto, "tcp") == 0) {
            table = &tcp_ports_;
        } else if (std::strcmp(sv->s_proto, "udp") == 0) {
            table = &udp_ports_;
        } else {
            continue;
        }
        if (table->empty()) table->resize(65536);
        if ((*table)[port].empty()) (*table)[port] = sv->s_name;
    }
    endservent();
}

std::string_view Names::ipv4(const std::uint8_t* address4) {
    std::uint32_t key;
    std::memcpy(&key, address4, 4);
    auto [it, inserted] = ipv4_.try_emplace(key);
    if (inserted) {
        if (!numeric_) {
            // tcpdump addrtoname.c ipaddr_string: gethostbyaddr, else the dotted quad.
            if (const hostent* h = gethostbyaddr(address4, 4, AF_INET)) it->second = h->h_name;
        }
        if (it->second.empty()) it->second = wire::Ipv4Address::from_bytes(address4).to_string();
    }
    return it->second;
}

std::size_t Names::Ipv6Hash::operator()(const std::array<std::uint8_t, 16>& a) const noexcept {
    const std::uint64_t hi = wire::load_be64(a.data());
    const std::uint64_t lo = wire::load_be64(a.data() + 8);
    return static_cast<std::size_t>((hi * 0x9e3779b97f4a7c15ULL) ^ lo);
}

std::string_view Names::ipv6(const std::uint8_t* address16) {
    std::array<std::uint8_t, 16> key;
    std::memcpy(key.data(), address16, key.size());
    auto [it, inserted] = ipv6_.try_emplace(key);
    if (inserted) {
        if (!numeric_) {
            if (const hostent* h = gethostbyaddr(address16, 16, AF_INET6)) it->second = h->h_name;
        }
        if (it->second.empty()) it->second = wire::Ipv6Address::from_bytes(address16).to_string();
    }
    return it->second;
}

std::string_view Names::tcp_port(std::uint16_t port) {
    if (tcp_ports_.empty()) tcp_ports_.resize(65536);
    std::string& name = tcp_ports_[port];
    if (name.empty()) name = std::to_string(port);
    return name;
}

std::string_view Names::udp_port(std::uint16_t port) {
    if (udp_ports_.empty()) udp_ports_.resize(65536);
    std::string& name = udp_ports_[port];
    if (name.empty()) name = std::to_string(port);
    return name;
}

std::string_view Names::mac(const std::uint8_t* address6) {
    std::uint64_t key = 0;
    for (int i = 0; i < 6; ++i) key = (key << 8) | address6[i];
    auto [it, inserted] = mac_.try_emplace(key);
    if (inserted) {
        static constexpr std::uint64_t kBroadcast = 0xffffffffffffULL;
        if (!numeric_ && key == kBroadcast) {
            it->second = "Broadcast";  // tcpdump addrtoname.c etherlist
            return it->second;
        }
        if (!numeric_) {
            // tcpdump first asks /etc/ethers (ether_ntohost).
            ether_addr ea{};
            std::memcpy(ea.ether_addr_octet, address6, 6);
            char host[1024] = {};
            if (ether_ntohost(host, &ea) == 0) {
                it->second = host;
                return it->second;
            }
        }
        it->second = wire::MacAddress::from_bytes(address6).to_string();
        if (!numeric_) {
            const std::uint32_t oui = (std::uint32_t{address6[0]} << 16) | (std::uint32_t{address6[1]} << 8) | address6[2];
            it->second += " (oui ";
            it->second += oui_name(oui);
            it->second += ')';
        }
    }
    return it->second;
}

std::string_view Names::interface(std::uint32_t index) {
    auto [it, inserted] = interfaces_.try_emplace(index);
    if (inserted) {
        char name[IF_NAMESIZE] = {};
        it->second = if_indextoname(index, name) != nullptr ? name : "?";
    }
    return it->second;
}

// tcpdump oui.c oui_values (first match wins: 0x0080c2 is "Ethernet bridged").
std::string_view oui_name(std::uint32_t oui) {
    struct Entry {
        std::uint32_t oui;
        std::string_view name;
    };
    static constexpr Entry kOuis[] = {
        {0x000000, "Ethernet"},           {0x00000c, "Cisco"},           {0x00005e, "IANA"},
        {0x000081, "Nortel Networks SONMP"}, {0x0000f8, "Cisco bridged"}, {0x0080c2, "Ethernet bridged"},
        {0x00a03e, "ATM Forum"},          {0x00e02f, "DOCSIS Spanning Tree"}, {0x080007, "Appletalk"},
        {0x009069, "Juniper"},            {0x080009, "Hewlett-Packard"}, {0x00120f, "IEEE 802.3 Private"},
        {0x0012bb, "ANSI/TIA"},           {0x001b21, "DCBX"},            {0x002320, "Nicira Networks"},
        {0x5c16c7, "Big Switch Networks"}, {0xb0d2f5, "Vello Systems"},  {0x002481, "HP"},
        {0x0004ea, "HP-Labs"},            {0x748771, "Infoblox Inc"},    {0xa42305, "Open Networking Lab"},
        {0x00049f, "Freescale"},          {0x0015ad, "Netronome"},       {0x001018, "Broadcom"},
        {0x00e004, "PMC-Sierra"},         {0xd0f0db, "Ericsson"},
    };
    for (const Entry& e : kOuis) {
        if (e.oui == oui) return e.name;
    }
    return "Unknown";
}

}  // namespace synack::dump
