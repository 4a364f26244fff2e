# State lives in HCP Terraform (Terraform Cloud). A `cloud` block cannot read variables, so the
# organisation and the workspace come from the environment of whoever runs terraform:
#
#   export TF_CLOUD_ORGANIZATION=my-org      # the HCP Terraform organisation
#   export TF_WORKSPACE=saas-starter-prod    # the workspace (created on first `terraform init`)
#
# (TF_CLOUD_HOSTNAME for Terraform Enterprise, TF_CLOUD_PROJECT for the workspace's project.)
# The GitHub deploy workflow sets both from repository variables of the same names.
terraform {
  # 1.11: write-only arguments (the RDS module's password_wo).
  required_version = ">= 1.11.0, < 2.0.0"

  cloud {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.14"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
